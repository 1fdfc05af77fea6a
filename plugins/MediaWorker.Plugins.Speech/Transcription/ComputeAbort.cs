using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// Lets a cancelled job stop whisper.cpp in the middle of a compute graph (the encoder pass that
/// takes most of a window's time), not only between graphs.
/// </summary>
/// <remarks>
/// <para>whisper.cpp 1.8 checks <c>whisper_full_params.abort_callback</c>, which Whisper.net
/// wires to the job's token, only after a whole encoder pass or decoder step: its scheduler never
/// hands the callback to ggml (whisper.cpp issue 3718). One encoder pass is most of a 30 s
/// window, so a cancel waited for the window. ggml's CPU backend itself checks an abort callback
/// after every graph node, set per backend with <c>ggml_backend_set_abort_callback</c> (the call
/// whisper.cpp makes on its own un-scheduled graphs), but whisper.cpp creates its backends inside
/// <c>whisper_init_state</c>, out of reach. So <see cref="Install"/> routes the CPU device's
/// <c>init_backend</c> entry through <see cref="InitBackend"/>, which sets the callback on every
/// CPU backend created from then on.</para>
/// <para>The callback needs no per-backend data: ggml calls it from compute thread 0, which is
/// the thread that called <c>whisper_full</c> (OpenMP's master thread, or ggml's own "this is a work
/// thread too"), so <see cref="Arm"/> on that thread (from the encoder-begin handler, which
/// whisper.cpp calls there right before it computes) tells it which token to watch.</para>
/// <para>The entry is found through ggml's public API (<c>ggml_backend_dev_by_type</c>) and
/// rewritten only after checks that fail closed: the device is the CPU device, the slot at the
/// offset of <c>ggml_backend_device_i.init_backend</c> in ggml's header creates a CPU backend of
/// that device, and the page is writable. If any check fails, nothing is written and a cancel
/// waits for the running pass as before (<see cref="Problem"/> says why).</para>
/// </remarks>
internal static unsafe partial class ComputeAbort
{
    // ggml-backend-impl.h, struct ggml_backend_device_i: get_name, get_description, get_memory,
    // get_type, get_props, init_backend, ... (whisper.cpp f24588a, Whisper.net.Runtime 1.9.1).
    private const int InitBackendSlot = 5;
    private const int CpuDeviceType = 0; // GGML_BACKEND_DEVICE_TYPE_CPU
    private const int RtldNow = 2;
    private const int RtldNoLoad = 4;

    private static readonly Lock Gate = new();

    [ThreadStatic]
    private static CancellationToken t_armed;

    private static delegate* unmanaged[Cdecl]<nint, byte*, nint> s_originalInit;
    private static delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<nint, byte>, nint, void> s_setAbortCallback;
    private static bool s_installed;

    /// <summary>True once CPU backends created by whisper.cpp stop at the next graph node on a cancel.</summary>
    public static bool IsInstalled => Volatile.Read(ref s_installed);

    /// <summary>Why <see cref="Install"/> left whisper.cpp as it was; <see langword="null"/> when installed or not tried.</summary>
    public static string? Problem { get; private set; }

    /// <summary>
    /// Routes whisper.cpp's CPU backends through the abort check; once per process, after
    /// Whisper.net has loaded the native libraries (a <see cref="Whisper.net.WhisperFactory"/> exists)
    /// and before the first transcription. Never throws: on a layout it does not recognise it
    /// changes nothing and sets <see cref="Problem"/>.
    /// </summary>
    /// <returns><see cref="IsInstalled"/>.</returns>
    public static bool Install()
    {
        lock (Gate)
        {
            if (!s_installed)
            {
                Problem = TryInstall();
                Volatile.Write(ref s_installed, Problem is null);
            }

            return s_installed;
        }
    }

    /// <summary>
    /// Makes the graphs computed on this thread stop once <paramref name="token"/> is cancelled.
    /// Call it on the thread that runs whisper.cpp, before the work.
    /// </summary>
    public static void Arm(CancellationToken token) => t_armed = token;

    private static string? TryInstall()
    {
        var ggml = OpenLoaded("libggml-whisper.so.0");
        var ggmlBase = OpenLoaded("libggml-base-whisper.so.0");
        if (ggml == 0 || ggmlBase == 0)
        {
            return "whisper.cpp's ggml libraries (libggml-whisper.so.0, libggml-base-whisper.so.0) are not loaded";
        }

        var devByType = (delegate* unmanaged[Cdecl]<int, nint>)Export(ggml, "ggml_backend_dev_by_type");
        var devType = (delegate* unmanaged[Cdecl]<nint, int>)Export(ggmlBase, "ggml_backend_dev_type");
        var devReg = (delegate* unmanaged[Cdecl]<nint, nint>)Export(ggmlBase, "ggml_backend_dev_backend_reg");
        var procAddress = (delegate* unmanaged[Cdecl]<nint, byte*, nint>)Export(ggmlBase, "ggml_backend_reg_get_proc_address");
        var backendDevice = (delegate* unmanaged[Cdecl]<nint, nint>)Export(ggmlBase, "ggml_backend_get_device");
        var backendFree = (delegate* unmanaged[Cdecl]<nint, void>)Export(ggmlBase, "ggml_backend_free");
        if (devByType == null || devType == null || devReg == null || procAddress == null || backendDevice == null || backendFree == null)
        {
            return "ggml lacks one of its backend functions";
        }

        var device = devByType(CpuDeviceType);
        if (device == 0 || devType(device) != CpuDeviceType)
        {
            return "ggml has no CPU device";
        }

        nint setAbort;
        fixed (byte* name = "ggml_backend_set_abort_callback"u8)
        {
            setAbort = procAddress(devReg(device), name);
        }

        if (setAbort == 0)
        {
            return "ggml's CPU backend offers no ggml_backend_set_abort_callback";
        }

        var slot = (nint*)device + InitBackendSlot;
        var original = (delegate* unmanaged[Cdecl]<nint, byte*, nint>)*slot;
        if (original == null || !IsWritable((nint)slot))
        {
            return "the CPU device's init_backend entry is not where ggml's header puts it";
        }

        var probe = original(device, null);
        var isCpuBackend = probe != 0 && backendDevice(probe) == device;
        if (probe != 0)
        {
            backendFree(probe);
        }

        if (!isCpuBackend)
        {
            return "the CPU device's init_backend entry does not create a CPU backend";
        }

        s_originalInit = original;
        s_setAbortCallback = (delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<nint, byte>, nint, void>)setAbort;
        *slot = (nint)(delegate* unmanaged[Cdecl]<nint, byte*, nint>)&InitBackend;
        return null;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint InitBackend(nint device, byte* parameters)
    {
        var backend = s_originalInit(device, parameters);
        if (backend != 0)
        {
            s_setAbortCallback(backend, &ShouldAbort, 0);
        }

        return backend;
    }

    /// <summary>ggml's abort callback: true stops the graph after the node that just ran.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte ShouldAbort(nint data) => t_armed.IsCancellationRequested ? (byte)1 : (byte)0;

    /// <summary>The handle of an already loaded library by its soname, or 0; never loads one.</summary>
    private static nint OpenLoaded(string soname) => DlOpen(soname, RtldNow | RtldNoLoad);

    private static nint Export(nint library, string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address : 0;

    /// <summary>True when /proc/self/maps shows the page holding <paramref name="address"/> as writable.</summary>
    private static bool IsWritable(nint address)
    {
        var at = (ulong)address;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            // "7f12a000-7f12b000 rw-p 00000000 08:01 1234  /path"
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash < 0 || space < dash)
            {
                continue;
            }

            var start = ulong.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (at >= start && at + (ulong)sizeof(nint) <= end)
            {
                return line.Length > space + 2 && line[space + 2] == 'w';
            }
        }

        return false;
    }

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int mode);
}
