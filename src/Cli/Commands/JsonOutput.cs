using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>The --json output shared by <c>cpumap inspect</c>, <c>load</c>, <c>status</c> and <c>stats --format json</c>.</summary>
internal static class JsonOutput
{
    /// <summary>
    /// Writes one JSON document, built by <paramref name="write"/>, to the invocation's output: indented, or on one line
    /// (<paramref name="indented"/> false) where a stream of documents is read line by line.
    /// </summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write, bool indented = true)
    {
        // Utf8JsonWriter writes bytes, the invocation's output takes text (a test's StringWriter, or stdout):
        // build the whole document first so a failure half-way prints nothing rather than broken JSON.
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            write(json);
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
