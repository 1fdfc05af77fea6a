using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Native;

/// <summary>
/// C's one-byte <c>bool</c> inside a struct. A plain C# <see cref="bool"/> field would make the
/// struct non-blittable (marshalled as a 4-byte BOOL), so the mirrors use this instead.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct CBool : IEquatable<CBool>
{
    private readonly byte _value;

    private CBool(bool value) => _value = value ? (byte)1 : (byte)0;

    public static implicit operator bool(CBool value) => value._value != 0;

    public static implicit operator CBool(bool value) => new(value);

    public bool Equals(CBool other) => (bool)this == (bool)other;

    public override bool Equals(object? obj) => obj is CBool other && Equals(other);

    public override int GetHashCode() => ((bool)this).GetHashCode();

    public override string ToString() => ((bool)this).ToString();
}
