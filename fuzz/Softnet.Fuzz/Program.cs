using SharpFuzz;
using Softnet.Fuzz;

const string Usage = """
    usage: Softnet.Fuzz TARGET              run TARGET under afl-fuzz (each input on stdin)
           Softnet.Fuzz TARGET PATH...      replay files, or every file in folders, through TARGET
           Softnet.Fuzz seeds CORPUS        write the seed inputs of every target to CORPUS/TARGET/
    targets: wire, router, lsr, switch
    """;

if (args is ["seeds", var corpus])
{
    Seeds.Write(corpus);
    return 0;
}
if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var create))
{
    Console.Error.WriteLine(args.Length == 0 ? Usage : $"Unknown target '{args[0]}'.\n{Usage}");
    return 2;
}

var target = new ResettingTarget(create);
if (args.Length == 1)
{
    var input = new MemoryStream();
    Fuzzer.Run(stream =>
    {
        input.SetLength(0);
        stream.CopyTo(input);
        target.Run(input.GetBuffer().AsSpan(0, (int)input.Length));
    });
    return 0;
}
return Replay(target, args[1..]);

// Prints each input that throws, as hex and with the exception, and returns 1 if any did.
static int Replay(IFuzzTarget target, string[] paths)
{
    var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]).ToList();
    var failed = 0;
    foreach (var file in files)
    {
        var bytes = File.ReadAllBytes(file);
        try
        {
            target.Run(bytes);
        }
        catch (Exception e)
        {
            failed++;
            Console.WriteLine($"FAILED {file} ({bytes.Length} bytes)\n{Convert.ToHexStringLower(bytes)}\n{e}\n");
        }
    }
    Console.WriteLine($"replayed {files.Count} inputs: {failed} failed");
    return failed == 0 ? 0 : 1;
}
