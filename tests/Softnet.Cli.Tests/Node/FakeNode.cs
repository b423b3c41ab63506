using Softnet.Cli.Node;
using Softnet.DataPlane.Pcap;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Tests.Node;

/// <summary>
/// A node without a hypervisor: it serves <see cref="Snapshot"/> (at first <see cref="SampleSnapshot"/>), and on r1:eth0 a capture that writes
/// <see cref="Frame"/> 0, 1, 2, ... from its own thread, as the hypervisor's capture pump does, until disposed.
/// </summary>
internal sealed class FakeNode : INodeService
{
    public const int Pid = 4242;
    public static readonly DateTimeOffset Started = new(2026, 11, 25, 4, 13, 23, TimeSpan.Zero);

    private readonly TaskCompletionSource _captureEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _captures;

    public bool Ready { get; set; } = true;

    /// <summary>What <see cref="Inspect"/> answers.</summary>
    public HypervisorSnapshot Snapshot { get; set; } = SampleSnapshot.Create();

    /// <summary>Captures started.</summary>
    public int Captures => _captures;

    /// <summary>Completes when a capture has been disposed.</summary>
    public Task CaptureEnded => _captureEnded.Task;

    public NodeStatus Status => new(Ready, Pid, "/etc/softnet/lab.yaml", Started, ["network lab: 1 device(s), 2 host(s)"]);

    public HypervisorSnapshot Inspect() => Snapshot;

    public IDisposable Capture(string port, Stream output)
    {
        if (port != "r1:eth0") throw new ArgumentException($"No port '{port}' (ports: r1:eth0, r1:eth1).");
        Interlocked.Increment(ref _captures);
        return new FrameWriter(output, _captureEnded);
    }

    /// <summary>Frame <paramref name="index"/>: 60 + index bytes counting up from index.</summary>
    public static byte[] Frame(int index) => [.. Enumerable.Range(index, 60 + index).Select(i => (byte)i)];

    private sealed class FrameWriter : IDisposable
    {
        private readonly Thread _thread;
        private readonly TaskCompletionSource _ended;
        private volatile bool _stopping;

        public FrameWriter(Stream output, TaskCompletionSource ended)
        {
            _ended = ended;
            var writer = new PcapWriter(output, leaveOpen: true);
            writer.Flush();
            _thread = new Thread(() => Write(writer)) { IsBackground = true };
            _thread.Start();
        }

        public void Dispose()
        {
            _stopping = true;
            _thread.Join();
            _ended.TrySetResult();
        }

        private void Write(PcapWriter writer)
        {
            try
            {
                for (var i = 0; !_stopping; i++)
                {
                    writer.Write(Frame(i % 200), DateTimeOffset.UnixEpoch.AddSeconds(i));
                    writer.Flush();
                    Thread.Sleep(1);
                }
            }
            catch (IOException)
            {
                // The reader went away: the capture's pump stops the same way.
            }
        }
    }
}
