using System.IO.Pipes;
using Softnet.Hypervisor.Linux;

namespace Softnet.Hypervisor.Tests.Linux;

public sealed class ReadinessWaiterTests
{
    [Fact]
    public void WakeFromAnotherThreadEndsTheWait()
    {
        using var waiter = new ReadinessWaiter();
        using var waiting = new ManualResetEventSlim();
        var waker = new Thread(() =>
        {
            waiting.Wait();
            waiter.Wake();
        });
        waker.Start();
        waiting.Set();
        Assert.True(waiter.Wait(30_000));
        waker.Join();
        Assert.False(waiter.Wait(0));
    }

    [Fact]
    public void WakesCoalesceIntoOneReturn()
    {
        using var waiter = new ReadinessWaiter();
        waiter.Wake();
        waiter.Wake();
        Assert.True(waiter.Wait(0));
        Assert.False(waiter.Wait(0));
    }

    [Fact]
    public void ReadableDescriptorEndsTheWaitUntilRemoved()
    {
        using var reader = new AnonymousPipeServerStream(PipeDirection.In);
        using var writer = new AnonymousPipeClientStream(PipeDirection.Out, reader.ClientSafePipeHandle);
        var fd = (int)reader.SafePipeHandle.DangerousGetHandle();
        using var waiter = new ReadinessWaiter();
        waiter.Add(fd);
        Assert.False(waiter.Wait(0));
        writer.WriteByte(1);
        writer.Flush();
        Assert.True(waiter.Wait(30_000));
        Assert.True(waiter.Wait(0));
        waiter.Remove(fd);
        Assert.False(waiter.Wait(0));
        Assert.Equal(1, reader.ReadByte());
    }

    [Fact]
    public void TimesOutWhenNothingHappens()
    {
        using var waiter = new ReadinessWaiter();
        Assert.False(waiter.Wait(1));
    }
}
