using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Logging;
using Xunit;

namespace GatewayProxy.Tests.Host.Configuration;

public sealed class ConfigWatcherTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gp-config-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly ProxyLog _log;
    private readonly string _path;

    public ConfigWatcherTests()
    {
        _log = new ProxyLog(_out, _err, ProxyLogLevel.Trace);
        _path = Path.Combine(_directory, "config.json");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Changed_log_level_is_applied_and_raised()
    {
        using var watcher = Start("\"log_level\": \"info\"");
        var raised = new List<ProxyLogLevel>();
        watcher.LogLevelChanged += raised.Add;

        Write("\"log_level\": \"debug\"");
        var result = watcher.TryReload();

        Assert.True(result.Loaded);
        Assert.Equal(ProxyLogLevel.Debug, result.NewLogLevel);
        Assert.Empty(result.NeedsRestart);
        Assert.Equal([ProxyLogLevel.Debug], raised);
        Assert.Equal(ProxyLogLevel.Debug, watcher.Current.LogLevel);
        Assert.Contains("config reload: log_level is now debug", _out.ToString());
    }

    [Fact]
    public void Other_changes_are_reported_as_needing_a_restart_and_not_applied()
    {
        using var watcher = Start("\"port\": 7878, \"cache\": {\"members\": true}");
        var raised = 0;
        watcher.LogLevelChanged += _ => raised++;

        Write("\"port\": 7879, \"cache\": {\"members\": false}");
        var result = watcher.TryReload();

        Assert.True(result.Loaded);
        Assert.Null(result.NewLogLevel);
        Assert.Equal(["port", "cache.members"], result.NeedsRestart);
        Assert.Equal(0, raised);
        Assert.Equal(7878, watcher.Current.Port);
        Assert.True(watcher.Current.Cache.Members);
        Assert.Contains("WARN  config reload: \"port\" changed; it needs a restart to take effect", _err.ToString());
        Assert.Contains("WARN  config reload: \"cache.members\" changed; it needs a restart to take effect", _err.ToString());
    }

    [Fact]
    public void Log_level_is_applied_even_when_other_fields_also_changed()
    {
        using var watcher = Start("\"log_level\": \"info\", \"port\": 7878");

        Write("\"log_level\": \"error\", \"port\": 1");
        var result = watcher.TryReload();

        Assert.Equal(ProxyLogLevel.Error, result.NewLogLevel);
        Assert.Equal(["port"], result.NeedsRestart);
        Assert.Equal(ProxyLogLevel.Error, watcher.Current.LogLevel);
        Assert.Equal(7878, watcher.Current.Port);
    }

    [Fact]
    public void An_invalid_file_keeps_the_running_configuration_and_reports_why()
    {
        using var watcher = Start("\"log_level\": \"warn\"");
        var before = watcher.Current;
        var raised = 0;
        watcher.LogLevelChanged += _ => raised++;

        Write("\"log_level\": \"debug\", \"ring_size\": 1000");
        var result = watcher.TryReload();

        Assert.False(result.Loaded);
        Assert.Same(before, watcher.Current);
        Assert.Equal(0, raised);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"{_path}: \"ring_size\" is 1000, wanted a power of two between 16 and 1048576 (e.g. 1024)", error);
        Assert.Contains($"ERROR config reload failed, keeping the running configuration: {error}", _err.ToString());
    }

    [Fact]
    public void An_unchanged_file_changes_nothing()
    {
        using var watcher = Start("\"status\": \"dnd\"");
        var before = watcher.Current;

        var result = watcher.TryReload();

        Assert.True(result.Loaded);
        Assert.Null(result.NewLogLevel);
        Assert.Empty(result.NeedsRestart);
        Assert.Same(before, watcher.Current);
    }

    [Fact]
    public void A_new_token_needs_a_restart_and_is_never_printed()
    {
        const string newToken = "TmV3VG9rZW4.new.token.value99";
        using var watcher = Start("");

        File.WriteAllText(_path, $$"""{"token": "{{newToken}}", "intents": 513}""");
        var result = watcher.TryReload();
        _log.Info($"something printed the token {newToken} by mistake");

        Assert.Equal(["token"], result.NeedsRestart);
        Assert.DoesNotContain(newToken, _out.ToString() + _err.ToString());
        Assert.Contains("something printed the token [redacted] by mistake", _out.ToString());
    }

    private ConfigWatcher Start(string fields)
    {
        Write(fields);
        var initial = ConfigLoader.Load(_path, ConfigTestData.NoEnv);
        _log.AddSecret(initial.Token);
        return new ConfigWatcher(_path, initial, ConfigTestData.NoEnv, _log);
    }

    private void Write(string fields) => File.WriteAllText(_path,
        $$"""{"token": "{{ConfigTestData.Token}}", "intents": 513{{(fields.Length == 0 ? "" : ", " + fields)}}}""");
}
