using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// Loading an object into the kernel failed. The message names the object, the map or program,
/// the cause and the fix; a kernel refusal is the inner <see cref="BpfException"/>, and a
/// verifier refusal also leaves its whole log in <see cref="VerifierLog"/>. A kernel refusal's command and errno
/// are this exception's <see cref="BpfOperationException.Operation"/> and <see cref="BpfOperationException.Errno"/>.
/// </summary>
public sealed class BpfLoadException : BpfOperationException
{
    /// <summary>A load failure of <paramref name="objectName"/>, at the map or program named (or neither),
    /// with what went wrong and what to do in <paramref name="message"/>.</summary>
    public BpfLoadException(string objectName, string? mapName, string? programName, string message, Exception? innerException = null)
        : base((innerException as BpfOperationException)?.Operation ?? LoadOperation, Format(objectName, mapName, programName, message, innerException),
            (innerException as BpfOperationException)?.Errno, innerException)
    {
        ObjectName = objectName;
        MapName = mapName;
        ProgramName = programName;
    }

    /// <summary>The <see cref="BpfOperationException.Operation"/> of a load refused before any kernel call failed.</summary>
    public const string LoadOperation = "load BPF object";

    /// <summary>The object's file name.</summary>
    public string ObjectName { get; }

    /// <summary>The map that failed, or null.</summary>
    public string? MapName { get; }

    /// <summary>The program that failed, or null.</summary>
    public string? ProgramName { get; }

    /// <summary>The verifier's complete log when the verifier refused the program, else null.</summary>
    public string? VerifierLog => (InnerException as BpfVerifierException)?.VerifierLog;

    private static string Format(string objectName, string? mapName, string? programName, string message, Exception? inner)
    {
        var what = programName is not null ? $"program '{programName}'" : mapName is not null ? $"map '{mapName}'" : null;
        var text = what is null ? $"{objectName}: {message}" : $"{objectName}: {what}: {message}";
        return inner is BpfException ? $"{text}: {inner.Message}" : text;
    }
}
