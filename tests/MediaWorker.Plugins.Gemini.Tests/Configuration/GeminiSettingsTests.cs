using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Configuration;
using MediaWorker.Plugins.Gemini.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Configuration;

public sealed class GeminiSettingsTests
{
    private static GeminiSettings Read(params (string Name, string Value)[] values) =>
        GeminiSettings.Read(new DictionarySettings(values.ToDictionary(v => v.Name, v => (string?)v.Value)));

    [Test]
    public void Defaults_AreFlashProAndALongTimeout()
    {
        var settings = Read();

        Assert.That(settings.ApiKey, Is.Null);
        Assert.That(settings.BaseUrl, Is.EqualTo(new Uri("https://generativelanguage.googleapis.com/")));
        Assert.That(settings.Model, Does.Contain("flash"));
        Assert.That(settings.DeepModel, Does.Contain("pro"));
        Assert.That(settings.EmbedModel, Is.EqualTo("gemini-embedding-001"));
        Assert.That(settings.Timeout, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(settings.MaxInCallRetries, Is.EqualTo(2));
    }

    [TestCase("GEMINI_TIMEOUT", "soon", "GEMINI_TIMEOUT is 'soon'; it must be a number of seconds")]
    [TestCase("GEMINI_TIMEOUT", "0", "GEMINI_TIMEOUT is '0'")]
    [TestCase("GEMINI_MAX_RETRIES", "1.5", "GEMINI_MAX_RETRIES is '1.5'; it must be a whole number from 0 to 10")]
    [TestCase("GEMINI_BASE_URL", "ftp://example", "GEMINI_BASE_URL is 'ftp://example'; it must be an absolute http:// or https:// URL")]
    [TestCase("GEMINI_BASE_URL", "https://example.test/?key=abc", "GEMINI_BASE_URL must not carry a query string")]
    [TestCase("AI_PROVIDER", "claude", "AI_PROVIDER is 'claude'; allowed values are 'gemini' and 'openai-compatible'")]
    [TestCase("AI_PROVIDER", "openai-compatible", "AI_PROVIDER=openai-compatible needs OPENAI_BASE_URL")]
    public void InvalidValues_FailTheLoad_NamingTheVariable(string name, string value, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => Read((name, value)));

        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public void ThePlugin_ServesItsThreeTasks_EachWithAClosedParameterSchema()
    {
        var context = new PluginContext("/tmp", new DictionarySettings(new Dictionary<string, string?>()), new TestContextLogger("plugin"), 2);

        var handlers = new GeminiPlugin().CreateHandlers(context).ToList();

        Assert.That(handlers.Select(h => h.Descriptor.TaskType), Is.EquivalentTo(new[] { "ai_analyze", "highlight_detect", "embed" }));
        Assert.That(handlers.Select(h => h.Descriptor.ParameterSchema!["additionalProperties"]!.GetValue<bool>()), Is.All.False);
    }
}
