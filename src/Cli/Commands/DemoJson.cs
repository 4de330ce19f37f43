using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>`cpumap demo --json`: the figures of the table and the lines under it, for scripts.</summary>
internal static class DemoJson
{
    public static void Write(TextWriter output, DemoResult result) => JsonOutput.Write(output, json =>
    {
        json.WriteStartObject();
        json.WriteString("mode", result.Mode.Name());
        json.WriteStartArray("cpus");
        foreach (var cpu in result.Cpus)
            json.WriteNumberValue(cpu);
        json.WriteEndArray();
        json.WriteNumber("sent", result.Sent);
        json.WriteNumber("delivered", result.Delivered);
        json.WriteNumber("dropped", result.Dropped);
        json.WriteNumber("redirectErrors", result.RedirectErrors);
        json.WriteNumber("queueDrops", result.QueueDrops);
        if (result.KernelQueueDrops is { } kernel)
            json.WriteNumber("kernelQueueDrops", kernel);
        else
            json.WriteNull("kernelQueueDrops");
        json.WriteNumber("sentMpps", result.SentMpps);
        json.WriteNumber("deliveredMpps", result.DeliveredMpps);
        json.WriteNumber("seconds", result.Elapsed.TotalSeconds);
        json.WriteBoolean("cancelled", result.Cancelled);
        json.WriteNumber("imbalance", result.Imbalance);
        json.WriteNumber("imbalanceBefore", result.ImbalanceBefore);
        json.WriteNumber("imbalanceAfter", result.ImbalanceAfter);
        json.WriteStartArray("rows");
        foreach (var row in result.Rows)
        {
            json.WriteStartObject();
            json.WriteNumber("cpu", row.Cpu);
            json.WriteNumber("received", row.Received);
            json.WriteNumber("redirected", row.Redirected);
            json.WriteNumber("errors", row.Errors);
            json.WriteNumber("sentTo", result.LoadOf(row.Cpu));
            json.WriteNumber("delivered", row.Delivered);
            var load = result.Cpus.Aggregate(0ul, (s, c) => s + result.LoadOf(c));
            json.WriteNumber("share", load == 0 ? 0 : (double)result.LoadOf(row.Cpu) / load);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("rounds");
        foreach (var round in result.Rounds)
        {
            json.WriteStartObject();
            json.WriteNumber("round", round.Round);
            json.WriteStartArray("load");
            foreach (var d in round.Load)
                json.WriteNumberValue(d);
            json.WriteEndArray();
            json.WriteNumber("imbalance", round.Imbalance);
            json.WriteStartArray("moves");
            foreach (var m in round.Moves)
            {
                json.WriteStartObject();
                json.WriteNumber("bucket", m.Bucket);
                json.WriteNumber("from", m.From);
                json.WriteNumber("to", m.To);
                json.WriteNumber("packets", m.Packets);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });
}
