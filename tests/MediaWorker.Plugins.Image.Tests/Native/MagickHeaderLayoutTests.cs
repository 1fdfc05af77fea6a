using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MediaWorker.Plugins.Image.Native;
using MediaWorker.Plugins.Image.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Image.Tests.Native;

/// <summary>
/// Compiles a C program against the installed MagickWand headers and compares what it prints with the
/// binding's declarations: every enum member's value, the ExceptionInfo head's offsets, and the sizes
/// of the C types the P/Invoke signatures assume.
/// </summary>
public sealed class MagickHeaderLayoutTests
{
    private static readonly Type[] Enums =
    [
        typeof(ExceptionType), typeof(ResourceType), typeof(OrientationType), typeof(AlphaChannelType),
        typeof(FilterType), typeof(StorageType), typeof(ColorspaceType), typeof(CompressionType),
    ];

    // C# names that cannot follow C's spelling (a lower-case first letter).
    private static readonly Dictionary<string, string> CNames = new() { ["SRGBColorspace"] = "sRGBColorspace" };

    private static Dictionary<string, long> _native = [];

    [OneTimeSetUp]
    public void CompileAndRun()
    {
        using var temp = new TempDirectory("mw-magick-layout");
        var source = Path.Combine(temp.Path, "layout.c");
        File.WriteAllText(source, Program());
        var binary = Path.Combine(temp.Path, "layout");
        var flags = Tool.Run("/usr/bin/pkg-config", "--cflags", "MagickWand").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Tool.Run("/usr/bin/gcc", [.. flags, "-o", binary, source]);
        _native = Tool.Run(binary).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('='))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
    }

    [TestCaseSource(nameof(EnumMembers))]
    public void EnumMember_HasTheHeadersValue(string enumName, string member, long value) =>
        Assert.That(value, Is.EqualTo(_native[$"{enumName}.{member}"]), $"{enumName}.{member}");

    [Test]
    public void ExceptionInfoHead_MatchesTheStruct()
    {
        Assert.Multiple(() =>
        {
            foreach (var field in typeof(ExceptionInfoHead).GetFields())
            {
                Assert.That((long)Marshal.OffsetOf<ExceptionInfoHead>(field.Name), Is.EqualTo(_native[$"offsetof.{field.Name}"]), field.Name);
            }

            Assert.That((long)Marshal.SizeOf<ExceptionInfoHead>(), Is.EqualTo(_native["sizeof.ExceptionInfo"]));
        });
    }

    [Test]
    public void CTypes_HaveTheSizesTheDeclarationsAssume()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_native["sizeof.MagickBooleanType"], Is.EqualTo(sizeof(int)), "MagickBooleanType as UnmanagedType.Bool");
            Assert.That(_native["sizeof.enum"], Is.EqualTo(sizeof(int)), "C enums as C# int enums");
            Assert.That(_native["sizeof.size_t"], Is.EqualTo(nuint.Size));
            Assert.That(_native["sizeof.ssize_t"], Is.EqualTo(nint.Size));
            Assert.That(_native["sizeof.MagickSizeType"], Is.EqualTo(sizeof(ulong)));
            Assert.That(_native["sizeof.MagickOffsetType"], Is.EqualTo(sizeof(long)));
        });
    }

    private static IEnumerable<TestCaseData> EnumMembers() =>
        Enums.SelectMany(type => Enum.GetNames(type).Select(name =>
            new TestCaseData(type.Name, CName(name), Convert.ToInt64(Enum.Parse(type, name), CultureInfo.InvariantCulture)).SetName($"{type.Name}.{name}")));

    private static string CName(string name) => CNames.GetValueOrDefault(name, name);

    private static string Program()
    {
        var c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <wand/MagickWand.h>\nint main(void) {\n");
        foreach (var type in Enums)
        {
            foreach (var name in Enum.GetNames(type))
            {
                c.Append(CultureInfo.InvariantCulture, $"  printf(\"{type.Name}.{CName(name)}=%ld\\n\", (long){CName(name)});\n");
            }
        }

        string[][] fields =
        [
            ["Severity", "severity"], ["ErrorNumber", "error_number"], ["Reason", "reason"], ["Description", "description"],
            ["Exceptions", "exceptions"], ["Relinquish", "relinquish"], ["Semaphore", "semaphore"], ["Signature", "signature"],
        ];
        foreach (var field in fields)
        {
            c.Append(CultureInfo.InvariantCulture, $"  printf(\"offsetof.{field[0]}=%ld\\n\", (long)offsetof(ExceptionInfo, {field[1]}));\n");
        }

        c.Append("""
              printf("sizeof.ExceptionInfo=%ld\n", (long)sizeof(ExceptionInfo));
              printf("sizeof.MagickBooleanType=%ld\n", (long)sizeof(MagickBooleanType));
              printf("sizeof.enum=%ld\n", (long)sizeof(ResourceType));
              printf("sizeof.size_t=%ld\n", (long)sizeof(size_t));
              printf("sizeof.ssize_t=%ld\n", (long)sizeof(ssize_t));
              printf("sizeof.MagickSizeType=%ld\n", (long)sizeof(MagickSizeType));
              printf("sizeof.MagickOffsetType=%ld\n", (long)sizeof(MagickOffsetType));
              return 0;
            }
            """);
        return c.ToString();
    }
}
