using System.Runtime.InteropServices;

namespace FixtureNative.Native;

/// <summary>The declarations of native/fixture_native.c.</summary>
internal static partial class FixtureNativeMethods
{
    private const string Library = "fixturenative";

    [LibraryImport(Library, EntryPoint = "fixture_add")]
    internal static partial int Add(int a, int b);

    [LibraryImport(Library, EntryPoint = "fixture_name")]
    internal static unsafe partial int Name(byte* buffer, int size);

    internal static unsafe string Name()
    {
        var buffer = stackalloc byte[64];
        var length = Name(buffer, 64);
        if (length < 0)
        {
            throw new InvalidOperationException("fixture_name: the 64-byte buffer is too small.");
        }

        return System.Text.Encoding.UTF8.GetString(buffer, length);
    }
}
