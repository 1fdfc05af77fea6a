using MediaWorker.Configuration;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Tests.Configuration;

public sealed class BroadcastSettingsTests
{
    [Test]
    public void Defaults_MatchWorkerEnvExample()
    {
        var settings = Read([]);

        Assert.That(settings.Type, Is.EqualTo("mqtt"));
        Assert.That((settings.Host, settings.Port, settings.UseTls), Is.EqualTo(("localhost", 1883, false)));
        Assert.That(settings.KeepAlive, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(settings.Protocol, Is.EqualTo(MqttProtocol.V311));
        Assert.That(settings.HeartbeatInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That((settings.ReconnectDelayMin, settings.ReconnectDelayMax), Is.EqualTo((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30))));
        Assert.That(settings.CapabilityTopic("w1"), Is.EqualTo("inference/workers/w1"));
        Assert.That(settings.EventTopic, Is.EqualTo("inference/events"));
        Assert.That(settings.ClientId, Is.EqualTo("mediaworker-w1"));
    }

    [Test]
    public void MqttsUrl_SwitchesTlsOn_WithPort8883_AndTakesCredentialsFromTheUrl()
    {
        var settings = Read(new() { ["MQTT_URL"] = "mqtts://worker:p%40ss@broker.lan" });

        Assert.That((settings.Host, settings.Port, settings.UseTls), Is.EqualTo(("broker.lan", 8883, true)));
        Assert.That((settings.Username, settings.Password), Is.EqualTo(("worker", "p@ss")));
    }

    [Test]
    public void MqttUsernameAndPassword_OverrideTheUrlsCredentials()
    {
        var settings = Read(new() { ["MQTT_URL"] = "mqtt://a:b@broker:1999", ["MQTT_USERNAME"] = "c", ["MQTT_PASSWORD"] = "d" });

        Assert.That((settings.Port, settings.Username, settings.Password), Is.EqualTo((1999, "c", "d")));
    }

    [Test]
    public void ABadUrl_IsRejected_WithoutEchoingItsPassword()
    {
        var errors = Errors(new() { ["MQTT_URL"] = "http://user:hunter2@broker" });

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("MQTT_URL: 'http://user:***@broker' is not allowed"));
        Assert.That(errors[0], Does.Not.Contain("hunter2"));
    }

    [Test]
    public void ToString_NeverShowsThePassword()
    {
        var settings = Read(new() { ["MQTT_USERNAME"] = "worker", ["MQTT_PASSWORD"] = "hunter2" });

        Assert.That(settings.ToString(), Does.Contain("worker").And.Not.Contain("hunter2"));
    }

    [Test]
    public void ACaFileWithoutTls_IsAnError_NamingTheFix()
    {
        using var directory = new TempDirectory("mw-ca");
        var ca = directory.Combine("ca.crt");
        File.WriteAllText(ca, "x");

        Assert.That(Errors(new() { ["MQTT_CA_FILE"] = ca }), Is.EqualTo(new[] { $"MQTT_CA_FILE: '{ca}' is set but TLS is off; use an mqtts:// MQTT_URL or MQTT_TLS=true." }));
        Assert.That(Read(new() { ["MQTT_CA_FILE"] = ca, ["MQTT_TLS"] = "true" }).Port, Is.EqualTo(8883));
    }

    [Test]
    public void ProtocolVersion5_IsASetting()
    {
        Assert.That(Read(new() { ["MQTT_PROTOCOL_VERSION"] = "5" }).Protocol, Is.EqualTo(MqttProtocol.V5));
        Assert.That(Read(new() { ["MQTT_PROTOCOL_VERSION"] = "3.1.1" }).Protocol, Is.EqualTo(MqttProtocol.V311));
    }

    [TestCase("CAPABILITY_TOPIC_PREFIX", "inference/+")]
    [TestCase("MQTT_PROTOCOL_VERSION", "3")]
    [TestCase("MQTT_TOPIC", "inference/#")]
    [TestCase("MQTT_RECONNECT_MAX", "0.5")]
    [TestCase("MQTT_KEEPALIVE", "2")]
    [TestCase("MQTT_HEARTBEAT_INTERVAL", "soon")]
    public void InvalidValues_AreRejected_NamingTheVariable(string name, string value)
    {
        Assert.That(Errors(new() { [name] = value }), Has.One.StartsWith(name + ":"));
    }

    private static BroadcastSettings Read(Dictionary<string, string> values)
    {
        var reader = new SettingsReader(new SettingsSource(values, _ => null));
        var settings = BroadcastSettings.Read(reader, "w1");
        reader.ThrowIfInvalid();
        return settings;
    }

    private static IReadOnlyList<string> Errors(Dictionary<string, string> values)
    {
        var reader = new SettingsReader(new SettingsSource(values, _ => null));
        _ = BroadcastSettings.Read(reader, "w1");
        return reader.Errors;
    }
}
