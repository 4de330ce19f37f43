using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>The --json output shared by <c>cpumap inspect</c>, <c>load</c> and <c>status</c>.</summary>
internal static class JsonOutput
{
    /// <summary>Writes one indented JSON document, built by <paramref name="write"/>, to the invocation's output.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        // Utf8JsonWriter writes bytes, the invocation's output takes text (a test's StringWriter, or stdout):
        // build the whole document first so a failure half-way prints nothing rather than broken JSON.
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            write(json);
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
