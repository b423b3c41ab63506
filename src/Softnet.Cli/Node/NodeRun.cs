using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;

namespace Softnet.Cli.Node;

/// <summary>
/// <c>softnet node run FILE --state-dir DIR</c>, or <c>node run --controller URL</c> (hidden; <c>up</c> starts it): the
/// hypervisor in the foreground, running the file or following the SDN controller's states, with
/// its control API on <c>DIR/control.sock</c>, logging to standard output (<c>up</c> sends it to <c>DIR/hypervisor.log</c>).
/// It writes <c>DIR/state.json</c> before it creates anything and again, complete, before it reports ready; on
/// <c>POST /v1/shutdown</c>, SIGTERM or Ctrl-C it disposes the hypervisor (which removes its namespaces and links) and
/// removes the state file. A host whose eth0 goes down (or up) in its namespace takes its link down (or up) with it,
/// and the controller followed is told.
/// </summary>
public static class NodeRun
{
    /// <param name="detach">Start a new session and close inherited descriptors (<c>up</c> has pointed the standard streams at <c>DIR/hypervisor.log</c>).</param>
    /// <returns>0 after a clean stop, 1 when the hypervisor could not start or stop, 2 without root.</returns>
    /// <param name="ratedCapacity">The node's rated capacity (byte-equivalents a second), or null (<see cref="HypervisorOptions.RatedCapacity"/>).</param>
    public static int Run(string? file, Uri? controller, NodeDirectory directory, int workers, bool detach, long? ratedCapacity = null)
    {
        if (detach) NodeProcess.Detach();
        Directory.CreateDirectory(directory.Path);
        try
        {
            NodeProcess.RequireRoot("softnet node run");
        }
        catch (NodeException e)
        {
            Console.Error.WriteLine(e.Message);
            return e.ExitCode;
        }
        if ((file is null) == (controller is null))
        {
            Console.Error.WriteLine("node run: give either a topology FILE or --controller URL.");
            return 2;
        }
        TopologyFile topology;
        try
        {
            topology = file is not null ? TopologyLoader.Load(file) : new TopologyFile($"controller {controller}", []);
        }
        catch (Exception e) when (e is TopologyException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        var options = new HypervisorOptions { Workers = workers, RatedCapacity = ratedCapacity };
        using var node = new HypervisorNode(file is not null ? Path.GetFullPath(file) : topology.SourceName, directory.StatePath);
        using var hosts = new LinuxHostPorts(node.OnCarrier);
        using var app = ControlApi.Build(directory.SocketPath, node, Log);
        app.StartAsync().GetAwaiter().GetResult();
        NodeSubscription? subscription = null;
        try
        {
            node.PlannedState(topology).Save(directory.StatePath);
            node.Start(topology, hosts, options, app.Logger);
            node.State().Save(directory.StatePath);
            if (controller is null) node.MarkReady();
            else
            {
                node.Report($"following the controller at {controller}");
                subscription = NodeSubscription.Start(controller, Environment.MachineName, new NodeCapacity(options.Workers, options.PacketBuffers, options.BufferSize),
                    node.ConvergeAsync, log: app.Logger);
                node.Follow(subscription);
            }
        }
        catch (Exception e)
        {
            // Whatever stopped the start goes to the log that `up` shows. The hypervisor has undone its own work (or
            // says in that error what it could not), so the state no longer describes anything: the names it plans
            // may belong to someone else, such as the namespace that made the start fail.
            app.Logger.LogCritical(e, "the hypervisor did not start");
            File.Delete(directory.StatePath);
            app.StopAsync().GetAwaiter().GetResult();
            return 1;
        }
        app.WaitForShutdown();
        subscription?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        app.Logger.LogInformation("stopping: removing every namespace and link");
        try
        {
            node.Dispose();
        }
        catch (Exception e)
        {
            app.Logger.LogCritical(e, "the hypervisor did not stop cleanly; `softnet down` removes what is left");
            return 1;
        }
        File.Delete(directory.StatePath);
        app.Logger.LogInformation("stopped");
        return 0;
    }

    private static void Log(ILoggingBuilder logging) => logging
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        })
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
}
