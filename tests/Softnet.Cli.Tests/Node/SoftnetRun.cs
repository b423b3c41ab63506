using System.Diagnostics;
using System.Text;

namespace Softnet.Cli.Tests.Node;

/// <summary>Runs <c>softnet</c> (or another program) as a separate process, as a user would, and collects what it printed.</summary>
internal static class SoftnetRun
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "softnet.dll");

    /// <param name="onError">Called with each line the program writes to standard error, as it writes it.</param>
    public static async Task<Result> RunAsync(string program, string[] args, Action<string>? onError = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = new StringBuilder();
        var errorsDone = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                errorsDone.TrySetResult();
                return;
            }
            lock (errors) errors.Append(e.Data).Append('\n');
            onError?.Invoke(e.Data);
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {CommandTimeout.TotalSeconds:0} s.");
        }
        await copy;
        await errorsDone.Task;
        return new Result(string.Join(' ', args), process.ExitCode, output.ToArray(), errors.ToString());
    }

    public sealed record Result(string Command, int Exit, byte[] Output, string Errors)
    {
        public string Text => Encoding.UTF8.GetString(Output);

        public string Describe() => $"`{Command}` exited {Exit}\n--- stdout\n{Text}\n--- stderr\n{Errors}";
    }
}
