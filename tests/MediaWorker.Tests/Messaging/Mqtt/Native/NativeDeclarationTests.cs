using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using MediaWorker.Messaging.Mqtt.Native;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Messaging.Mqtt.Native;

/// <summary>
/// Proves the binding matches /usr/include/mosquitto.h (Debian libmosquitto-dev, installed by
/// scripts/setup.sh): a C program compiled with gcc prints the constants and the struct layout,
/// and static assertions check every declared function and callback signature.
/// </summary>
public sealed partial class NativeDeclarationTests
{
    private const string Header = "/usr/include/mosquitto.h";

    private static readonly (string C, MosquittoOption Value)[] Options =
    [
        ("MOSQ_OPT_PROTOCOL_VERSION", MosquittoOption.ProtocolVersion),
        ("MOSQ_OPT_TCP_NODELAY", MosquittoOption.TcpNoDelay),
        ("MOSQ_OPT_TLS_USE_OS_CERTS", MosquittoOption.TlsUseOsCerts),
    ];

    private static readonly (string C, MosquittoLogLevel Value)[] LogLevels =
    [
        ("MOSQ_LOG_NONE", MosquittoLogLevel.None),
        ("MOSQ_LOG_INFO", MosquittoLogLevel.Info),
        ("MOSQ_LOG_NOTICE", MosquittoLogLevel.Notice),
        ("MOSQ_LOG_WARNING", MosquittoLogLevel.Warning),
        ("MOSQ_LOG_ERR", MosquittoLogLevel.Err),
        ("MOSQ_LOG_DEBUG", MosquittoLogLevel.Debug),
    ];

    private static readonly string[] MessageFields = ["mid", "topic", "payload", "payloadlen", "qos", "retain"];

    private TempDirectory _directory = null!;

    [OneTimeSetUp]
    public void RequireHeader()
    {
        if (!File.Exists(Header))
        {
            Assert.Fail($"{Header} is missing: install libmosquitto-dev (./run_tests.sh does, through scripts/setup.sh).");
        }
    }

    [SetUp]
    public void SetUp() => _directory = new TempDirectory("mw-mosq-h");

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task ErrorCodes_MatchEveryMosqErrInTheHeader()
    {
        var headerNames = MosqErrName().Matches(await File.ReadAllTextAsync(Header)).Select(m => m.Groups[1].Value).Distinct().ToList();
        var managed = Enum.GetValues<MosquittoErrorCode>().ToDictionary(e => "MOSQ_ERR_" + CName(e.ToString()), e => (int)e);

        var printed = await RunProgramAsync(headerNames.Select(n => $"printf(\"{n}=%d\\n\", (int){n});"));

        Assert.That(managed.Keys, Is.EquivalentTo(headerNames), "every MOSQ_ERR_* in the header, and nothing else");
        Assert.That(managed, Is.EquivalentTo(printed));
    }

    [Test]
    public async Task OptionsAndLogLevels_MatchTheHeader()
    {
        var printed = await RunProgramAsync(
            Options.Select(o => $"printf(\"{o.C}=%d\\n\", (int){o.C});")
                .Concat(LogLevels.Select(l => $"printf(\"{l.C}=%d\\n\", (int){l.C});"))
                .Append("printf(\"MQTT_PROTOCOL_V311=%d\\n\", MQTT_PROTOCOL_V311);"));

        foreach (var (c, value) in Options)
        {
            Assert.That(printed[c], Is.EqualTo((int)value), c);
        }

        foreach (var (c, value) in LogLevels)
        {
            Assert.That(printed[c], Is.EqualTo((int)value), c);
        }

        Assert.That(printed["MQTT_PROTOCOL_V311"], Is.EqualTo(MqttProtocolVersion.V311));
    }

    [Test]
    public async Task MessageStruct_HasTheHeadersSizeAndOffsets()
    {
        var printed = await RunProgramAsync(
            MessageFields.Select(f => $"printf(\"{f}=%d\\n\", (int)offsetof(struct mosquitto_message, {f}));")
                .Append("printf(\"sizeof=%d\\n\", (int)sizeof(struct mosquitto_message));"));

        Assert.That(Marshal.SizeOf<MosquittoMessage>(), Is.EqualTo(printed["sizeof"]));
        var managedFields = typeof(MosquittoMessage).GetFields();
        Assert.That(managedFields, Has.Length.EqualTo(MessageFields.Length));
        for (var i = 0; i < MessageFields.Length; i++)
        {
            Assert.That((int)Marshal.OffsetOf<MosquittoMessage>(managedFields[i].Name), Is.EqualTo(printed[MessageFields[i]]), MessageFields[i]);
        }
    }

    [Test]
    public async Task EveryDeclaredFunction_AndEveryCallback_HasTheHeadersSignature()
    {
        var declarations = typeof(Libmosquitto).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() is not null)
            .ToList();
        Assert.That(declarations, Has.Count.GreaterThan(20));
        var assertions = declarations.Select(m =>
            $"_Static_assert(__builtin_types_compatible_p(__typeof__(&{m.Name}), {FunctionPointerType(m)}), \"{m.Name}: the C# declaration does not match mosquitto.h\");");

        await CompileAsync(string.Join('\n', assertions) + "\nint main(void) { return 0; }\n");

        using var library = new LoadedLibrary(Libmosquitto.LibraryName);
        Assert.That(declarations.Where(m => !library.Exports(m.Name)).Select(m => m.Name), Is.Empty, "exported by the installed libmosquitto.so.1");
    }

    [Test]
    public void ErrorTexts_ComeFromTheLibrary_AndErrnoFromTheSystem()
    {
        Assert.That(MosquittoErrors.Describe((int)MosquittoErrorCode.ConnLost, 0), Is.EqualTo("The connection was lost"));
        Assert.That(MosquittoErrors.Describe((int)MosquittoErrorCode.Errno, 111), Is.EqualTo("Connection refused"));
        Assert.That(MosquittoErrors.DescribeConnack(5), Does.Contain("not authorised"));
        var ex = Assert.Throws<MosquittoException>(() => MosquittoErrors.ThrowIfFailed((int)MosquittoErrorCode.Inval, "set the last will"));
        Assert.That(ex!.Message, Is.EqualTo("libmosquitto could not set the last will: Invalid function arguments provided"));
        Assert.That(MosquittoLibrary.Version, Does.StartWith("2."));
    }

    /// <summary>NOMEM is one word in C; every other name is PascalCase of its underscore-separated parts.</summary>
    private static string CName(string managedName) => managedName == "NoMem"
        ? "NOMEM"
        : PascalParts().Replace(managedName, "_$1").TrimStart('_').ToUpperInvariant();

    /// <summary>The C type of a pointer to the function <paramref name="method"/> declares.</summary>
    private static string FunctionPointerType(MethodInfo method)
    {
        var parameters = method.GetParameters().Select(p => ParameterCType(method, p));
        return $"{ReturnCType(method)} (*)({string.Join(", ", parameters)})";
    }

    private static string ReturnCType(MethodInfo method) => method.ReturnType switch
    {
        var t when t == typeof(void) => "void",
        var t when t == typeof(int) => "int",
        var t when t == typeof(MosquittoHandle) => "struct mosquitto *",
        var t when t == typeof(nint) => "const char *", // mosquitto_strerror, mosquitto_connack_string
        var t => throw new AssertionException($"{method.Name}: no C mapping for return type {t}"),
    };

    private static string ParameterCType(MethodInfo method, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type.IsByRef)
        {
            return type.GetElementType() == typeof(int) ? "int *" : throw new AssertionException($"{method.Name}({parameter.Name}): unmapped by-ref {type}");
        }

        if (type == typeof(MosquittoHandle))
        {
            return "struct mosquitto *";
        }

        if (type == typeof(string))
        {
            return "const char *";
        }

        if (type == typeof(int))
        {
            return "int";
        }

        if (type == typeof(bool))
        {
            return "bool";
        }

        if (type == typeof(MosquittoOption))
        {
            return "enum mosq_opt_t";
        }

        if (type == typeof(ReadOnlySpan<byte>))
        {
            return "const void *";
        }

        return parameter.Name switch
        {
            "mosq" => "struct mosquitto *",
            "userData" => "void *",
            "payload" => "const void *",
            "passwordCallback" => "int (*)(char *, int, int, void *)",
            { } name when name.StartsWith("on", StringComparison.Ordinal) => CallbackCType(name),
            _ => throw new AssertionException($"{method.Name}({parameter.Name}): no C mapping for {type}"),
        };
    }

    /// <summary>The function pointer type of the [UnmanagedCallersOnly] method MosquittoClient registers for <paramref name="parameterName"/>.</summary>
    private static string CallbackCType(string parameterName)
    {
        var callback = typeof(MosquittoClient).GetMethod(char.ToUpperInvariant(parameterName[0]) + parameterName[1..], BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new AssertionException($"MosquittoClient has no callback for {parameterName}");
        Assert.That(callback.GetCustomAttribute<UnmanagedCallersOnlyAttribute>(), Is.Not.Null, callback.Name);
        var parameters = callback.GetParameters().Select((p, i) => (p.ParameterType, i) switch
        {
            (var t, 0) when t == typeof(nint) => "struct mosquitto *",
            (var t, 1) when t == typeof(nint) => "void *",
            (var t, _) when t == typeof(int) => "int",
            (var t, _) when t == typeof(int*) => "const int *",
            (var t, _) when t == typeof(byte*) => "const char *",
            (var t, _) when t == typeof(MosquittoMessage*) => "const struct mosquitto_message *",
            var (t, _) => throw new AssertionException($"{callback.Name}: no C mapping for {t}"),
        });
        return $"void (*)({string.Join(", ", parameters)})";
    }

    private async Task<Dictionary<string, int>> RunProgramAsync(IEnumerable<string> statements)
    {
        var program = await CompileAsync($"int main(void) {{\n{string.Join('\n', statements)}\nreturn 0;\n}}\n");
        var output = await ExternalTool.RunCheckedAsync(program);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('='))
            .ToDictionary(parts => parts[0], parts => int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private async Task<string> CompileAsync(string body)
    {
        var source = _directory.Combine("probe.c");
        var program = _directory.Combine("probe");
        await File.WriteAllTextAsync(source, new StringBuilder()
            .AppendLine("#include <stdbool.h>")
            .AppendLine("#include <stddef.h>")
            .AppendLine("#include <stdio.h>")
            .AppendLine("#include <mosquitto.h>")
            .Append(body)
            .ToString());
        var (exitCode, output, error) = await ExternalTool.RunAsync("gcc", ["-std=gnu11", "-Wall", "-Werror", "-o", program, source]);
        if (exitCode != 0)
        {
            Assert.Fail($"gcc rejected the probe:\n{output}{error}");
        }

        return program;
    }

    [GeneratedRegex(@"\b(MOSQ_ERR_[A-Z0-9_]+)\s*=")]
    private static partial Regex MosqErrName();

    [GeneratedRegex("([A-Z])")]
    private static partial Regex PascalParts();

    private sealed class LoadedLibrary(string name) : IDisposable
    {
        private readonly nint _handle = NativeLibrary.Load(name);

        public bool Exports(string symbol) => NativeLibrary.TryGetExport(_handle, symbol, out _);

        public void Dispose() => NativeLibrary.Free(_handle);
    }
}
