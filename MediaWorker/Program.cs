return await MediaWorker.Cli.CliApp.RunAsync(args);
