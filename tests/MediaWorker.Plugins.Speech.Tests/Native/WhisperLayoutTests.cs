using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using MediaWorker.Plugins.Speech.Native;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Native;

/// <summary>
/// Proves the C# mirrors match whisper.h of the bundled whisper.cpp: a C program, generated from
/// the mirrors' own field list and compiled by gcc against the same header the library was built
/// from, prints offsetof/sizeof of every field and every enum value; a field the header lacks
/// fails the compilation, a moved or resized one fails the comparison.
/// </summary>
[TestFixture]
public sealed class WhisperLayoutTests
{
    private static readonly (Type Mirror, string CType)[] Structs =
    [
        (typeof(whisper_full_params), "struct whisper_full_params"),
        (typeof(whisper_context_params), "struct whisper_context_params"),
        (typeof(whisper_token_data), "whisper_token_data"),
    ];

    private static readonly Type[] Enums = [typeof(whisper_sampling_strategy), typeof(ggml_log_level), typeof(ggml_type)];

    private TempDirectory _temp = null!;
    private Dictionary<string, long> _native = null!;

    [OneTimeSetUp]
    public void CompileAndRunProbe()
    {
        _temp = new TempDirectory("speech-layout");
        var source = _temp.Combine("layout_probe.c");
        File.WriteAllText(source, ProbeSource());
        var probe = _temp.Combine("layout_probe");
        NativeTool.Gcc(probe, [source], "-I" + WhisperBuild.IncludeDirectory);
        _native = NativeTool.Run(probe, [])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(line => line[..line.LastIndexOf(' ')], line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    [TestCaseSource(nameof(StructNames))]
    public void StructSize_MatchesTheHeader(string cType)
    {
        var mirror = Structs.Single(s => s.CType == cType).Mirror;
        Assert.Multiple(() =>
        {
            Assert.That(Marshal.SizeOf(mirror), Is.EqualTo(_native["sizeof:" + cType]), "Marshal.SizeOf");
            Assert.That(ManagedSize(mirror), Is.EqualTo(_native["sizeof:" + cType]), "in-memory size");
        });
    }

    [TestCaseSource(nameof(StructNames))]
    public void EveryField_HasTheHeadersOffsetAndSize(string cType)
    {
        var mirror = Structs.Single(s => s.CType == cType).Mirror;
        var fields = Fields(mirror, string.Empty, 0).ToList();
        Assert.That(fields, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (path, offset, size) in fields)
            {
                Assert.That(offset, Is.EqualTo(_native[$"offset:{cType}.{path}"]), $"offsetof({cType}, {path})");
                Assert.That(size, Is.EqualTo(_native[$"size:{cType}.{path}"]), $"sizeof {cType}.{path}");
            }
        });
    }

    [Test]
    public void FullParams_IsTheSizeThisVersionHas()
    {
        // whisper_full_with_state takes the struct by value; this pins the version the plugin expects.
        Assert.That(_native["sizeof:struct whisper_full_params"], Is.EqualTo(264));
    }

    [TestCaseSource(nameof(EnumMembers))]
    public void EnumValue_MatchesTheHeader(string name, long value) =>
        Assert.That(value, Is.EqualTo(_native["enum:" + name]), name);

    [Test]
    public void BuiltLibrary_ReportsTheMirroredSizes_AndPassesTheLoadCheck()
    {
        var library = NativeLibrary.Load(WhisperBuild.Library);
        try
        {
            Assert.DoesNotThrow(() => WhisperBuildCheck.Verify(library, WhisperBuild.Library));
            Assert.That(WhisperBuildCheck.DefaultsProblems(library, WhisperBuild.Library), Is.Empty);
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    private static IEnumerable<string> StructNames() => Structs.Select(s => s.CType);

    private static IEnumerable<TestCaseData> EnumMembers() =>
        Enums.SelectMany(e => Enum.GetValues(e).Cast<object>().Select(v => new TestCaseData(Enum.GetName(e, v), Convert.ToInt64(v, CultureInfo.InvariantCulture))));

    /// <summary>Every field of a mirror, nested structs flattened to C member paths (greedy.best_of).</summary>
    private static IEnumerable<(string Path, long Offset, long Size)> Fields(Type type, string prefix, long baseOffset)
    {
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            var path = prefix + field.Name;
            var offset = baseOffset + Marshal.OffsetOf(type, field.Name).ToInt64();
            var fieldType = field.FieldType;
            yield return (path, offset, FieldSize(fieldType));
            if (IsMirrorStruct(fieldType))
            {
                foreach (var nested in Fields(fieldType, path + ".", offset))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsMirrorStruct(Type type) =>
        type.IsValueType && !type.IsPrimitive && !type.IsEnum && type.Namespace == typeof(whisper_full_params).Namespace && type != typeof(CBool);

    private static long FieldSize(Type type) =>
        type.IsPointer || type.IsFunctionPointer || type.IsUnmanagedFunctionPointer ? IntPtr.Size
        : type.IsEnum ? Marshal.SizeOf(Enum.GetUnderlyingType(type))
        : Marshal.SizeOf(type);

    private static long ManagedSize(Type type) =>
        (int)typeof(System.Runtime.CompilerServices.Unsafe).GetMethod(nameof(System.Runtime.CompilerServices.Unsafe.SizeOf))!
            .MakeGenericMethod(type).Invoke(null, null)!;

    private static string ProbeSource()
    {
        var c = new StringBuilder();
        c.AppendLine("#include <stdio.h>");
        c.AppendLine("#include <stddef.h>");
        c.AppendLine("#include \"whisper.h\"");
        c.AppendLine("int main(void) {");
        foreach (var (mirror, cType) in Structs)
        {
            c.AppendLine(CultureInfo.InvariantCulture, $"  printf(\"sizeof:{cType} %zu\\n\", sizeof({cType}));");
            foreach (var (path, _, _) in Fields(mirror, string.Empty, 0))
            {
                c.AppendLine(CultureInfo.InvariantCulture, $"  printf(\"offset:{cType}.{path} %zu\\n\", offsetof({cType}, {path}));");
                c.AppendLine(CultureInfo.InvariantCulture, $"  printf(\"size:{cType}.{path} %zu\\n\", sizeof((({cType} *) 0)->{path}));");
            }
        }

        foreach (var e in Enums)
        {
            foreach (var name in Enum.GetNames(e))
            {
                c.AppendLine(CultureInfo.InvariantCulture, $"  printf(\"enum:{name} %d\\n\", (int) {name});");
            }
        }

        c.AppendLine("  return 0;");
        c.AppendLine("}");
        return c.ToString();
    }
}
