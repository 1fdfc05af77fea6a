using System.Globalization;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Api;

public sealed class FileUploadTests : RigTests
{
    private const int FileSize = (3 * GeminiRig.ChunkSize) + 12_345;

    private string _path = null!;

    [SetUp]
    public void WriteFile()
    {
        var bytes = new byte[FileSize];
        new Random(7).NextBytes(bytes);
        _path = Rig.Temp.Combine("compute", Rig.WriteInput("clip.mp4", bytes));
    }

    [Test]
    public async Task Upload_SendsChunksAtTheirOffsets_AndWaitsWhileTheFileIsProcessing()
    {
        Rig.Server.ProcessingPolls = 3;
        var reported = new List<double>();

        var file = await Rig.Client().UploadFileAsync(_path, "video/mp4", "clip.mp4", new SyncProgress(reported.Add), CancellationToken.None);

        Assert.That(file.State, Is.EqualTo("ACTIVE"));
        var start = Rig.Server.RequestsTo("upload.start").Single();
        Assert.Multiple(() =>
        {
            Assert.That(start.Headers["X-Goog-Upload-Protocol"], Is.EqualTo("resumable"));
            Assert.That(start.Headers["X-Goog-Upload-Header-Content-Length"], Is.EqualTo(FileSize.ToString(CultureInfo.InvariantCulture)));
            Assert.That(start.Headers["X-Goog-Upload-Header-Content-Type"], Is.EqualTo("video/mp4"));
            Assert.That(start.Body!["file"]!["displayName"]!.GetValue<string>(), Is.EqualTo("clip.mp4"));
        });
        var chunks = Rig.Server.Requests.Where(r => r.Operation is "upload.chunk" or "upload.finalize").ToList();
        Assert.That(chunks.Select(c => c.UploadOffset), Is.EqualTo(new[] { "0", "65536", "131072", "196608" }));
        Assert.That(chunks.Select(c => c.Operation), Is.EqualTo(new[] { "upload.chunk", "upload.chunk", "upload.chunk", "upload.finalize" }));
        Assert.That(Rig.Server.RequestsTo("files.get").Count(), Is.EqualTo(3), "polled until ACTIVE");
        Assert.That(reported, Is.Ordered.And.Contains(1.0));
        Assert.That(Rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task Upload_CutInTheMiddleOfAChunk_AsksForTheReceivedSizeAndResumesThere()
    {
        Rig.Server.CutChunk = 1;
        Rig.Server.CutAfterBytes = 10_000;

        var file = await Rig.Client().UploadFileAsync(_path, "video/mp4", "clip.mp4", null, CancellationToken.None);

        Assert.That(file.SizeBytes, Is.EqualTo(FileSize.ToString(CultureInfo.InvariantCulture)));
        Assert.That(Rig.Server.RequestsTo("upload.query").Count(), Is.EqualTo(1));
        var offsets = Rig.Server.Requests.Where(r => r.Operation is "upload.chunk" or "upload.finalize").Select(r => r.UploadOffset).ToList();
        Assert.That(offsets, Is.EqualTo(new[] { "0", "65536", (65536 + 10_000).ToString(CultureInfo.InvariantCulture), (65536 + 10_000 + 65536).ToString(CultureInfo.InvariantCulture), (65536 + 10_000 + 131072).ToString(CultureInfo.InvariantCulture) }));
        Assert.That(Rig.Logger.Text, Does.Contain("resuming from there"));
        Assert.That(Rig.Server.Violations, Is.Empty);
    }

    [Test]
    public void Upload_ProcessingFailed_IsPermanentAndTheFileIsDeleted()
    {
        Rig.Server.ProcessingPolls = 1;
        Rig.Server.FailProcessing = true;

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.Client().UploadFileAsync(_path, "video/mp4", "clip.mp4", null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("file state FAILED").And.Contain("The video could not be decoded."));
        Assert.That(Rig.Server.DeletedFiles, Has.Count.EqualTo(1));
        Assert.That(Rig.Server.StoredFiles, Is.Empty);
    }

    [Test]
    public void Upload_StillProcessingAfterTheLimit_IsRetryableAndTheFileIsDeleted()
    {
        Rig.Server.ProcessingPolls = 1000;
        Rig.Settings["GEMINI_FILE_PROCESSING_TIMEOUT"] = "1";

        var ex = Assert.ThrowsAsync<RetryableJobException>(() => Rig.Client().UploadFileAsync(_path, "video/mp4", "clip.mp4", null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("still processing").And.Contain("GEMINI_FILE_PROCESSING_TIMEOUT"));
        Assert.That(Rig.Server.StoredFiles, Is.Empty);
    }

    [Test]
    public void Upload_Cancelled_StopsAndStillDeletesTheFile()
    {
        Rig.Server.ProcessingPolls = 1000;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.That(() => Rig.Client().UploadFileAsync(_path, "video/mp4", "clip.mp4", null, cancel.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.That(Rig.Server.StoredFiles, Is.Empty, "the uploaded file is deleted even though the job was cancelled");
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
