using MediaWorker.Cli;
using NUnit.Framework;

namespace MediaWorker.Tests.Cli;

public sealed class SubmitCommandTests
{
    [Test]
    public void BuildParams_MergesJsonAndKeyValuePairs_ReadingValuesAsJsonWhenTheyParse()
    {
        var parameters = SubmitCommand.BuildParams("{\"width\": 100}", ["height=50", "format=webp", "upscale=true", "tags=[\"a\"]"]);

        Assert.That(parameters.ToJsonString(), Is.EqualTo("{\"width\":100,\"height\":50,\"format\":\"webp\",\"upscale\":true,\"tags\":[\"a\"]}"));
    }

    [TestCase("[1,2]", "--params must be a JSON object")]
    [TestCase("{oops", "--params is not valid JSON")]
    public void BuildParams_RefusesWhatIsNotAnObject(string json, string message)
    {
        var ex = Assert.Throws<UsageException>(() => SubmitCommand.BuildParams(json, []));
        Assert.That(ex!.Message, Does.StartWith(message));
    }

    [Test]
    public void BuildParams_RefusesPairsWithoutEquals() =>
        Assert.Throws<UsageException>(() => SubmitCommand.BuildParams(null, ["width"]));

    [TestCase("90", 90)]
    [TestCase("90s", 90)]
    [TestCase("15m", 900)]
    [TestCase("2h", 7200)]
    [TestCase("1.5d", 129600)]
    public void Durations_ParseWithUnits(string text, double seconds) =>
        Assert.That(DurationParser.Parse(text, "--older-than").TotalSeconds, Is.EqualTo(seconds));

    [TestCase("-1s")]
    [TestCase("5y")]
    [TestCase("soon")]
    public void Durations_RefuseNonsense(string text) =>
        Assert.Throws<UsageException>(() => DurationParser.Parse(text, "--older-than"));
}
