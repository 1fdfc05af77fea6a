using System.Text.Json;
using MediaWorker.Plugins.Validation;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins.Validation;

public sealed class JobParametersTests
{
    [TestCase(null)]
    [TestCase("")]
    [TestCase("null")]
    public void NothingMeansNoParameters(string? json) => Assert.That(JobParameters.Parse(json), Is.Empty);

    [Test]
    public void AnObject_IsReadAsIs() =>
        Assert.That(JobParameters.Parse("{\"a\": [1, {\"b\": 2}], \"c\": {\"b\": 3}}").ToJsonString(), Is.EqualTo("{\"a\":[1,{\"b\":2}],\"c\":{\"b\":3}}"));

    [TestCase("{\"seconds\": 0, \"seconds\": 99999}", "params has the key 'seconds' more than once")]
    [TestCase("{\"crop\": {\"x\": 1, \"x\": 2}}", "params.crop has the key 'x' more than once")]
    [TestCase("{\"steps\": [{}, {\"op\": 1, \"op\": 2}]}", "params.steps[1] has the key 'op' more than once")]
    public void ARepeatedKey_IsRefused_NamingItAndWhereItIs(string json, string message)
    {
        var ex = Assert.Throws<DuplicateKeyException>(() => JobParameters.Parse(json));
        Assert.That(ex!.Message, Does.StartWith(message));
    }

    [TestCase("[1]")]
    [TestCase("{oops")]
    public void NotAnObject_IsAJsonException(string json) =>
        Assert.Throws(Is.InstanceOf<JsonException>(), () => JobParameters.Parse(json));
}
