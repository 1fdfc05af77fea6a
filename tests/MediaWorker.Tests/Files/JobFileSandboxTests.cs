using MediaWorker.Files;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Tests.Files;

public sealed class JobFileSandboxTests
{
    private TempDirectory _root = null!;
    private TempDirectory _outside = null!;
    private JobFileSandbox _sandbox = null!;

    [SetUp]
    public void SetUp()
    {
        _root = new TempDirectory("mw-sandbox");
        _outside = new TempDirectory("mw-outside");
        var compute = _root.Combine("compute");
        Directory.CreateDirectory(compute);
        _sandbox = new JobFileSandbox(new SandboxPolicy(compute, [_root.Path]), "job-1", 1);
    }

    [TearDown]
    public void TearDown()
    {
        _root.Dispose();
        _outside.Dispose();
    }

    [Test]
    public void ResolveInput_ResolvesRelativePathsUnderComputeStorage()
    {
        File.WriteAllText(_root.Combine("compute", "in.txt"), "x");
        Assert.That(_sandbox.ResolveInput("in.txt"), Is.EqualTo(_root.Combine("compute", "in.txt")));
    }

    [Test]
    public void ResolveInput_AcceptsAbsolutePathsUnderAllowedRoots()
    {
        File.WriteAllText(_root.Combine("media.bin"), "x");
        Assert.That(_sandbox.ResolveInput(_root.Combine("media.bin")), Is.EqualTo(_root.Combine("media.bin")));
    }

    [Test]
    public void ResolveInput_RefusesDotDot_NamingTheRule()
    {
        var ex = Assert.Throws<PermanentJobException>(() => _sandbox.ResolveInput("../../etc/passwd"));
        Assert.That(ex!.Message, Does.Contain("'..' segments are not allowed").And.Contain("input_path"));
    }

    [Test]
    public void ResolveInput_RefusesAbsolutePathsOutsideTheRoots()
    {
        File.WriteAllText(Path.Combine(_outside.Path, "secret.txt"), "x");
        var ex = Assert.Throws<PermanentJobException>(() => _sandbox.ResolveInput(Path.Combine(_outside.Path, "secret.txt")));
        Assert.That(ex!.Message, Does.Contain("outside the allowed roots").And.Contain("MEDIA_ALLOWED_ROOTS"));
    }

    [Test]
    public void ResolveInput_RefusesSymlinksThatLeadOut()
    {
        File.WriteAllText(Path.Combine(_outside.Path, "secret.txt"), "x");
        File.CreateSymbolicLink(_root.Combine("compute", "link.txt"), Path.Combine(_outside.Path, "secret.txt"));
        Directory.CreateSymbolicLink(_root.Combine("compute", "dirlink"), _outside.Path);

        var file = Assert.Throws<PermanentJobException>(() => _sandbox.ResolveInput("link.txt"));
        var dir = Assert.Throws<PermanentJobException>(() => _sandbox.ResolveInput("dirlink/secret.txt"));
        Assert.That(file!.Message, Does.Contain("symbolic link"));
        Assert.That(dir!.Message, Does.Contain("outside the allowed roots"));
    }

    [Test]
    public void ResolveInput_RefusesDevices()
    {
        var sandbox = new JobFileSandbox(new SandboxPolicy(_root.Combine("compute"), ["/"]), "job-2", 1);
        var ex = Assert.Throws<PermanentJobException>(() => sandbox.ResolveInput("/dev/zero"));
        Assert.That(ex!.Message, Does.Contain("devices"));
    }

    [Test]
    public void ResolveInput_ReportsMissingFiles()
    {
        var ex = Assert.Throws<PermanentJobException>(() => _sandbox.ResolveInput("nope.jpg", "image"));
        Assert.That(ex!.Message, Does.StartWith("image 'nope.jpg' does not exist"));
    }

    [Test]
    public void ResolveOutput_CreatesTheFolder_AndRefusesEscapes()
    {
        var path = _sandbox.ResolveOutput("out/sub/result.png");
        Assert.That(path, Is.EqualTo(_root.Combine("compute", "out", "sub", "result.png")));
        Assert.That(Directory.Exists(_root.Combine("compute", "out", "sub")), Is.True);
        Assert.Throws<PermanentJobException>(() => _sandbox.ResolveOutput(Path.Combine(_outside.Path, "x.png")));
    }

    [Test]
    public void OutputDirectory_IsTheJobsFolder()
    {
        Assert.That(_sandbox.OutputDirectory, Is.EqualTo(_root.Combine("compute", "jobs", "job-1", "output")));
        Assert.That(Directory.Exists(_sandbox.OutputDirectory), Is.True);
    }
    [Test]
    public void AJobFolderWithTheMarker_IsWhereThatJobsRelativePathsResolve()
    {
        var folder = _root.Combine("compute", "jobs", "job-1");
        Directory.CreateDirectory(Path.Combine(folder, "input"));
        File.WriteAllText(Path.Combine(folder, SandboxPolicy.JobRelativePathsMarker), string.Empty);
        File.WriteAllText(Path.Combine(folder, "input", "photo.jpg"), "x");
        File.WriteAllText(_root.Combine("compute", "elsewhere.jpg"), "x");
        var sandbox = new JobFileSandbox(new SandboxPolicy(_root.Combine("compute"), [_root.Path]), "job-1", 1);

        Assert.That(sandbox.ResolveInput("input/photo.jpg"), Is.EqualTo(Path.Combine(folder, "input", "photo.jpg")));
        Assert.That(sandbox.ResolveOutput("output/thumbnail.jpg"), Is.EqualTo(Path.Combine(folder, "output", "thumbnail.jpg")));
        Assert.That(sandbox.ResolveInput(_root.Combine("compute", "elsewhere.jpg")), Is.EqualTo(_root.Combine("compute", "elsewhere.jpg")), "absolute paths are unchanged");
        var ex = Assert.Throws<PermanentJobException>(() => sandbox.ResolveInput("elsewhere.jpg"));
        Assert.That(ex!.Message, Does.Contain(Path.Combine(folder, "elsewhere.jpg")), "the message says where it looked");
        Assert.Throws<PermanentJobException>(() => sandbox.ResolveInput("../../elsewhere.jpg"));
    }

    [Test]
    public void WithoutTheMarker_RelativePathsStayUnderComputeStorage()
    {
        Directory.CreateDirectory(_root.Combine("compute", "jobs", "job-1", "input"));
        File.WriteAllText(_root.Combine("compute", "jobs", "job-1", "input", "photo.jpg"), "x");
        File.WriteAllText(_root.Combine("compute", "photo.jpg"), "x");
        Assert.That(_sandbox.ResolveInput("photo.jpg"), Is.EqualTo(_root.Combine("compute", "photo.jpg")));
        Assert.Throws<PermanentJobException>(() => _sandbox.ResolveInput("input/photo.jpg"));
    }

    [TestCase("../job-1")]
    [TestCase("..")]
    [TestCase("")]
    public void AJobIdThatIsNotAPlainName_NeverGetsAFolderBase(string jobId)
    {
        var policy = new SandboxPolicy(_root.Combine("compute"), [_root.Path]);
        Assert.That(policy.RelativePathBase(jobId), Is.EqualTo(_root.Combine("compute")));
    }
}
