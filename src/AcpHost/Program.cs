using AcpHost.Cli;

return await AcpHostCommandLine.InvokeAsync(args).ConfigureAwait(false);
