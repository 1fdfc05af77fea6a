using NUnit.Framework;

// Fixtures share one machine with 2 cores: run them in parallel, the tests inside each one by one.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
