using System.Text.Json.Nodes;
using MediaWorker.Plugins;
using MediaWorker.Plugins.Abstractions;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins;

public sealed class TaskDescriptorCheckTests
{
    [Test]
    public void WellFormedDescriptor_HasNoProblems() =>
        Assert.That(TaskDescriptorCheck.Check(Valid()), Is.Empty);

    [TestCase("")]
    [TestCase("image resize")]
    [TestCase("a,b")]
    [TestCase("émoji")]
    public void TaskTypeThatCannotBeAListEntryOrTopicValue_IsRefused(string taskType) =>
        Assert.That(TaskDescriptorCheck.Check(Valid() with { TaskType = taskType }).Single(), Does.StartWith($"task type '{taskType}' is not allowed"));

    [Test]
    public void EmptyDescription_IsRefused() =>
        Assert.That(TaskDescriptorCheck.Check(Valid() with { Description = " " }), Is.EqualTo(new[] { "the description is empty" }));

    [Test]
    public void NonPositiveTimeout_IsRefused() =>
        Assert.That(TaskDescriptorCheck.Check(Valid() with { DefaultTimeout = TimeSpan.Zero }).Single(), Does.StartWith("the default timeout must be positive"));

    [Test]
    public void ConcurrencyLimitBelowOne_IsRefused() =>
        Assert.That(TaskDescriptorCheck.Check(Valid() with { MaxConcurrency = 0 }).Single(), Does.StartWith("the concurrency limit must be at least 1"));

    [Test]
    public void SchemaProblems_AreIncluded() =>
        Assert.That(TaskDescriptorCheck.Check(Valid() with { ParameterSchema = new JsonObject { ["typ"] = "object" } }).Single(),
            Does.StartWith("parameter schema.typ: 'typ' is not a supported keyword (did you mean 'type'?)"));

    private static TaskDescriptor Valid() => new()
    {
        TaskType = "image_resize.v2-fast",
        Description = "Resizes an image.",
        ParameterSchema = new JsonObject { ["type"] = "object" },
        MaxConcurrency = 1,
    };
}
