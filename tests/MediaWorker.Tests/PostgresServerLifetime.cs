using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Tests;

/// <summary>Stops the shared PostgreSQL server when the test run ends.</summary>
[SetUpFixture]
public sealed class PostgresServerLifetime
{
    [OneTimeTearDown]
    public void StopServer() => PostgresServer.StopShared();
}
