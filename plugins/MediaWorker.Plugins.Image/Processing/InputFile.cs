using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;
using Microsoft.Win32.SafeHandles;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// An input file opened once: its first bytes are sniffed and the same descriptor is later handed to
/// ImageMagick, so the file cannot be swapped between the check and the decode.
/// </summary>
internal sealed class InputFile : IDisposable
{
    private InputFile(SafeFileHandle handle, string path, string requestedPath, string parameterName, long length, byte[] head)
    {
        Handle = handle;
        Path = path;
        RequestedPath = requestedPath;
        ParameterName = parameterName;
        Length = length;
        Head = head;
        Sniffed = FormatSniffer.Sniff(head);
    }

    public SafeFileHandle Handle { get; }

    /// <summary>The resolved absolute path.</summary>
    public string Path { get; }

    /// <summary>The path as the job gave it, for messages.</summary>
    public string RequestedPath { get; }

    public string ParameterName { get; }

    public long Length { get; }

    /// <summary>The first bytes (up to <see cref="DeclaredSize.HeaderLength"/>).</summary>
    public byte[] Head { get; }

    public SniffResult Sniffed { get; }

    /// <summary>Resolves the job's path in the sandbox and opens it; an empty file is refused unless <paramref name="allowEmpty"/>.</summary>
    public static InputFile Open(IJobFiles files, string requestedPath, string parameterName = "input_path", bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        var path = files.ResolveInput(requestedPath, parameterName);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PermanentJobException($"{parameterName} '{requestedPath}' cannot be opened: {ex.Message}", ex);
        }

        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length == 0 && !allowEmpty)
            {
                throw new PermanentJobException($"{parameterName} '{requestedPath}' is empty (0 bytes); give a file with content.");
            }

            var head = new byte[(int)Math.Min(length, DeclaredSize.HeaderLength)];
            var read = 0;
            while (read < head.Length)
            {
                var n = RandomAccess.Read(handle, head.AsSpan(read), read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return new InputFile(handle, path, requestedPath, parameterName, length, head[..read]);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Describes the input for messages: <c>input_path 'photos/a.jpg'</c>.</summary>
    public override string ToString() => $"{ParameterName} '{RequestedPath}'";

    public void Dispose() => Handle.Dispose();
}
