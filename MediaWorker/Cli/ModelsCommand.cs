using System.CommandLine;
using MediaWorker.Configuration;
using MediaWorker.WhisperModels;

namespace MediaWorker.Cli;

/// <summary>
/// <c>mediaworker models list | pull NAME | verify [NAME]</c>: the ggml Whisper models whisper.cpp
/// publishes, fetched from <c>$WHISPER_MODEL_BASE_URL/ggml-NAME.bin</c> into
/// <c>$CL_SERVER_DIR/models</c>, where the Speech plugin finds them when WHISPER_MODEL names one.
/// </summary>
internal static class ModelsCommand
{
    internal static Command Create()
    {
        var command = new Command("models", "Whisper models for the Speech plugin: list the published ones, pull one into $CL_SERVER_DIR/models, verify what was pulled.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Pull());
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "The models whisper.cpp publishes, their size, whether their SHA-1 is known, and which are pulled here.");
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            var store = StoreOf(CommandContext.LoadSettings(settingsOptions, parseResult));
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine($"{"NAME",-22} {"SIZE",-8} {"SHA-1",-6} PULLED");
            foreach (var model in ModelCatalogue.All)
            {
                var pulled = File.Exists(store.PathOf(model.Name)) ? store.PathOf(model.Name) : "-";
                output.WriteLine($"{model.Name,-22} {model.ApproximateSize,-8} {(model.Sha1 is null ? "-" : "known"),-6} {pulled}");
            }

            output.WriteLine($"Models folder: {store.Directory}. Pull one with `mediaworker models pull base.en`, then set WHISPER_MODEL=base.en.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Pull()
    {
        var command = new Command("pull", "Download a model into $CL_SERVER_DIR/models, resuming an interrupted download, and check its SHA-1 and structure.");
        var name = new Argument<string>("name") { Description = "The model, e.g. base.en, small, large-v3-q5_0 (see `models list`)." };
        var sha1 = new Option<string?>("--sha1") { Description = "The SHA-1 to require, for a model whose checksum whisper.cpp does not publish." };
        command.Arguments.Add(name);
        command.Options.Add(sha1);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = CommandContext.LoadSettings(settingsOptions, parseResult);
            var model = Known(parseResult.GetValue(name)!);
            var expected = parseResult.GetValue(sha1) ?? model.Sha1;
            if (expected is not null && (expected.Length != 40 || !expected.All(char.IsAsciiHexDigit)))
            {
                throw new UsageException($"--sha1 '{expected}' is not a SHA-1 (40 hex digits).");
            }

            var baseUrl = settings.Source.GetValue(ModelDownloader.BaseUrlSetting) ?? ModelDownloader.DefaultBaseUrl;
            var store = StoreOf(settings);
            await Console.Error.WriteLineAsync($"Pulling {ModelDownloader.UrlOf(baseUrl, model)} into {store.Directory}");
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var bar = new ModelsProgressBar(Console.Error, !Console.IsErrorRedirected);
            PulledModel pulled;
            try
            {
                pulled = await new ModelDownloader(http).PullAsync(baseUrl, model, expected, store, bar, cancellationToken);
            }
            catch (ModelDownloadException ex)
            {
                bar.Finish();
                await Console.Error.WriteLineAsync($"mediaworker models pull: {ex.Message}");
                return ExitCodes.Failure;
            }

            bar.Finish();
            var check = pulled.Verified ? $"SHA-1 {pulled.Sha1} verified" : $"SHA-1 {pulled.Sha1} (whisper.cpp publishes none for {model.Name}: compare it yourself)";
            parseResult.InvocationConfiguration.Output.WriteLine(
                $"{pulled.Path}: {pulled.Info.ModelType}, {(pulled.Info.IsMultilingual ? "multilingual" : "English-only")}, {ModelsProgressBar.Mib(pulled.Length)} MiB, {check}. Use it with WHISPER_MODEL={model.Name}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify()
    {
        var command = new Command("verify", "Check the pulled models (or one): whole, a ggml Whisper model, and the SHA-1 whisper.cpp publishes.");
        var name = new Argument<string?>("name") { Description = "Only this model.", Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(name);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var store = StoreOf(CommandContext.LoadSettings(settingsOptions, parseResult));
            var output = parseResult.InvocationConfiguration.Output;
            var files = parseResult.GetValue(name) is { } only ? [store.PathOf(Known(only).Name)] : store.PulledFiles().ToList();
            if (files.Count == 0)
            {
                output.WriteLine($"No models in {store.Directory}. Pull one with `mediaworker models pull base.en`.");
                return ExitCodes.Ok;
            }

            var failed = 0;
            foreach (var file in files)
            {
                var verdict = await VerifyOneAsync(file, cancellationToken);
                failed += verdict.StartsWith("ok", StringComparison.Ordinal) ? 0 : 1;
                output.WriteLine($"{verdict}  {file}");
            }

            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static async Task<string> VerifyOneAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            var info = ModelFileCheck.Check(file, file);
            var sha1 = await FileSha1.OfAsync(file, cancellationToken);
            var known = ModelCatalogue.FindByFileName(Path.GetFileName(file));
            return known?.Sha1 switch
            {
                null => $"ok ({info.ModelType}; SHA-1 {sha1}, none published to compare)",
                var expected when string.Equals(expected, sha1, StringComparison.Ordinal) => $"ok ({info.ModelType}; SHA-1 {sha1} matches whisper.cpp's)",
                var expected => $"FAILED: SHA-1 {sha1}, whisper.cpp publishes {expected}; pull it again",
            };
        }
        catch (ModelFileException ex)
        {
            return $"FAILED: {ex.Message}";
        }
    }

    private static KnownModel Known(string name) =>
        ModelCatalogue.Find(name) ?? throw new UsageException($"'{name}' is not a model whisper.cpp publishes; `mediaworker models list` shows the names (for example base.en).");

    private static ModelStore StoreOf(WorkerSettings settings) => ModelStore.ForServerDirectory(settings.ServerDirectory);
}
