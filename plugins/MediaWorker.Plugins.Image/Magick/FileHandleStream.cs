using Microsoft.Win32.SafeHandles;

namespace MediaWorker.Plugins.Image.Magick;

/// <summary>
/// A read-only, seekable view of a file handle the plugin opened, for Magick.NET to read from: the
/// bytes ImageMagick decodes are the ones the sniffer judged, and no path ever reaches ImageMagick.
/// Positional reads, so several views of one handle never disturb each other; disposing a view
/// leaves the handle open (its owner closes it).
/// </summary>
internal sealed class FileHandleStream(SafeFileHandle handle) : Stream
{
    private readonly long _length = RandomAccess.GetLength(handle);
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= _length)
        {
            return 0;
        }

        var read = RandomAccess.Read(handle, buffer, _position);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => _length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
