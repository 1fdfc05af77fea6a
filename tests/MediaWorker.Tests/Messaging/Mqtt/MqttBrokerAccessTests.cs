using System.Diagnostics;
using MediaWorker.Configuration;
using MediaWorker.Messaging;
using MediaWorker.Messaging.Mqtt;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using static MediaWorker.Tests.Messaging.Mqtt.MqttBench;

namespace MediaWorker.Tests.Messaging.Mqtt;
/// <summary>How the broadcaster meets a broker that asks more of it: credentials, TLS, and MQTT 5.</summary>
public sealed class MqttBrokerAccessTests
{
    private static readonly TimeSpan Patience = MqttBench.Patience;
    private MqttBench _bench = null!;

    private MosquittoBroker Broker => _bench.Broker;

    private RecordingLoggerFactory Logs => _bench.Logs;

    [SetUp]
    public async Task SetUp() => _bench = await MqttBench.StartAsync();

    [TearDown]
    public async Task TearDown() => await _bench.DisposeAsync();

    [Test]
    public async Task WrongCredentials_LogOneClearLine_KeepTrying_AndNeverLogThePassword()
    {
        await _bench.ReplaceBrokerAsync(users: new Dictionary<string, string> { ["worker"] = "right-secret" });
        var settings = _bench.Settings("w-creds") with { Username = "worker", Password = "wrong-secret-4711" };
        await using var broadcaster = _bench.Create(settings);
        broadcaster.UpdatePresence(Snapshot("w-creds"));
        await broadcaster.StartAsync(CancellationToken.None);

        await _bench.WaitForConnectionAttemptsAsync(4);
        var problems = Logs.AtLeast(LogLevel.Warning);
        Assert.That(problems, Has.Count.EqualTo(1), string.Join('\n', problems.Select(p => p.Message)));
        Assert.That(problems[0].Level, Is.EqualTo(LogLevel.Error));
        Assert.That(problems[0].Message, Does.Contain("refused").And.Contain("not authorised").And.Contain("MQTT_USERNAME ('worker')").And.Contain("MQTT_PASSWORD"));
        Assert.That(Logs.Entries.Select(e => e.Message), Has.None.Contains("wrong-secret-4711"));
    }

    [Test]
    public async Task Tls_WithTheTestCa_PublishesTheRetainedCapability()
    {
        using var ca = await TestCertificateAuthority.CreateAsync();
        await _bench.ReplaceBrokerAsync(tls: ca);
        await using var broadcaster = _bench.Create(_bench.Settings("w-tls"));
        broadcaster.UpdatePresence(Snapshot("w-tls"));
        await broadcaster.StartAsync(CancellationToken.None);

        var json = await _bench.WaitForRetainedAsync("w-tls", _ => true);

        Assert.That((string?)json["worker_id"], Is.EqualTo("w-tls"));
        Assert.That(Logs.Entries.Select(e => e.Message), Has.Some.StartsWith($"MQTT connected to mqtts://localhost:{Broker.Port}"));
    }

    [Test]
    public async Task Tls_WithAnUntrustedCa_LogsOneLineNamingTheCertificateProblem()
    {
        using var brokerCa = await TestCertificateAuthority.CreateAsync();
        using var otherCa = await TestCertificateAuthority.CreateAsync("Some Other CA");
        await _bench.ReplaceBrokerAsync(tls: brokerCa);
        var settings = _bench.Settings("w-untrusted") with { CaFile = otherCa.CaCertificate };
        await using var broadcaster = _bench.Create(settings);
        broadcaster.UpdatePresence(Snapshot("w-untrusted"));
        await broadcaster.StartAsync(CancellationToken.None);

        await _bench.WaitForConnectionAttemptsAsync(3);

        var problems = Logs.AtLeast(LogLevel.Warning);
        Assert.That(problems, Has.Count.EqualTo(1), string.Join('\n', problems.Select(p => p.Message)));
        Assert.That(problems[0].Message, Does.Contain("certificate verify failed").And.Contain("MQTT_CA_FILE").And.Contain("unknown CA").And.Contain("CN=MediaWorker Test CA"));
        Assert.That(problems[0].Message, Does.Not.Contain("RemoteCertificateValidationCallback"), "the real reason, not MQTTnet's callback text");
        Assert.That(broadcaster.Connection!.IsConnected, Is.False);
    }

    [TestCase(-1, "DNS:localhost,IP:127.0.0.1", "certificate verify failed: the broker's certificate expired on 20")]
    [TestCase(2, "DNS:broker.example", "certificate verify failed: name mismatch: the broker's certificate does not name 'localhost' (it names DNS:broker.example)")]
    public async Task Tls_WithABrokerCertificateThatIsExpiredOrForAnotherName_LogsOneLineSayingWhich(int serverDays, string serverNames, string reason)
    {
        using var ca = await TestCertificateAuthority.CreateAsync(serverDays: serverDays, serverNames: serverNames);
        await _bench.ReplaceBrokerAsync(tls: ca);
        await using var broadcaster = _bench.Create(_bench.Settings("w-badcert"));
        broadcaster.UpdatePresence(Snapshot("w-badcert"));
        await broadcaster.StartAsync(CancellationToken.None);

        await _bench.WaitForConnectionAttemptsAsync(3);

        var problems = Logs.AtLeast(LogLevel.Warning);
        Assert.That(problems, Has.Count.EqualTo(1), string.Join('\n', problems.Select(p => p.Message)));
        Assert.That(problems[0].Message, Does.Contain(reason).And.Contain("MQTT_CA_FILE"));
    }

    [Test]
    public async Task Mqtt5_PublishesTheSameRetainedCapability_AndTheWillStillClearsIt()
    {
        await using var live = await MosquittoSubscriber.StartAsync(Broker, "inference/workers/+");
        await using var link = TcpLinkProxy.To(Broker.Port);
        await using var broadcaster = _bench.Create(_bench.Settings("w-v5") with { Port = link.Port, Protocol = MqttProtocol.V5 });
        broadcaster.UpdatePresence(Snapshot("w-v5"));
        await broadcaster.StartAsync(CancellationToken.None);

        var json = await _bench.WaitForRetainedAsync("w-v5", _ => true);
        Assert.That((string?)json["id"], Is.EqualTo("w-v5"));
        Assert.That(Broker.Log, Has.Some.Contains("as mediaworker-w-v5").And.Contain("p5"), "mosquitto logs the protocol version of each client");

        link.Cut();
        await live.WaitForAsync(m => m.Payload.Length == 0, Patience);
    }
}
