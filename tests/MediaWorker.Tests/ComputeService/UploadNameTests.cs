using System.Text;
using MediaWorker.ComputeService.Uploads;
using NUnit.Framework;

namespace MediaWorker.Tests.ComputeService;

public sealed class UploadNameTests
{
    [TestCase("photo.jpg", "photo.jpg")]
    [TestCase("../../etc/passwd", "passwd")]
    [TestCase("C:\\Users\\me\\photo.jpg", "photo.jpg")]
    [TestCase("/abs/olute.png", "olute.png")]
    [TestCase("a\nb\r.jpg", "ab.jpg")]
    [TestCase("\u0000\u0007nul.jpg", "nul.jpg")]
    [TestCase("evil\u202Egpj.exe", "evilgpj.exe")]
    [TestCase("  spaced .jpg  ", "spaced .jpg")]
    [TestCase("..", "upload")]
    [TestCase("...", "upload")]
    [TestCase("dir/", "upload")]
    [TestCase("\n", "upload")]
    [TestCase(".hidden", "hidden")]
    [TestCase("résumé 写真.heic", "résumé 写真.heic")]
    public void Sanitise(string sent, string stored) => Assert.That(UploadName.Sanitise(sent), Is.EqualTo(stored));

    [Test]
    public void ALongName_IsCutToTheByteLimit_KeepingTheExtension_AndWholeCharacters()
    {
        var name = UploadName.Sanitise(new string('写', 120) + ".jpeg");
        Assert.That(Encoding.UTF8.GetByteCount(name), Is.LessThanOrEqualTo(UploadName.MaxBytes));
        Assert.That(name, Does.EndWith(".jpeg"));
        Assert.That(name.TrimEnd(".jpeg".ToCharArray()).All(c => c == '写'), Is.True);
    }

    [Test]
    public void ALongExtension_IsNotKeptAtAnyPrice()
    {
        var name = UploadName.Sanitise("a." + new string('x', 400));
        Assert.That(Encoding.UTF8.GetByteCount(name), Is.LessThanOrEqualTo(UploadName.MaxBytes));
        Assert.That(name, Does.StartWith("a."));
    }
}
