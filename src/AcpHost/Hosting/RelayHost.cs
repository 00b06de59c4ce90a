using AcpHost.Events;
using AcpHost.Agent;
using AcpHost.Features.Cache;
using AcpHost.Features.Compaction;
using AcpHost.Control;
using AcpHost.Features.Commands;
using AcpHost.Features.Fork;
using AcpHost.Features.Notices;
using AcpHost.Features.Recovery;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using Microsoft.Extensions.Options;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.Settings;
using AcpHost.Telemetry;
using AcpHost.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Hosting;

/// <summary>Builds and runs the generic host for <c>acphost run</c>: configuration, Serilog, the relay service, the features.</summary>
internal static class RelayHost
{
    /// <summary>Runs the relay with the given command-line overrides; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> overrides)
    {
        // Events logged before the host's logger is built wait here for it (or for the stderr-only one, on failure).
        var early = new HandOverSink();
        using Serilog.Core.Logger earlyLogger = early.CreateLogger();
        using var loggers = new SerilogLoggerFactory(earlyLogger);
        try
        {
            IConfigurationRoot configuration = HostConfiguration.Build(overrides);
            RelayOptions relayOptions = RelaySettings.From(configuration);

            // Take stdout before anything can log: from here on Console.Out points at stderr. (Reading the
            // configuration logs nothing, and a failure there is logged to stderr by the bootstrap logger.)
            StdioStreams stdio = StdioStreams.Open(relayOptions.ReadSpin);
            string dataDir = DataDirectory.Resolve(configuration["DataDir"]);
            Directory.CreateDirectory(dataDir);

            // The agent starts first: its own start-up (node, then its native child) is most of the editor's wait for
            // `initialize`, and it needs nothing of the host but configuration. Building the logger and the host
            // (some 40 ms on two cores) then overlaps with it instead of coming before it.
            IOptions<AgentOptions> agentOptions = Options.Create(AgentOptions.From(configuration).Checked());
            var installer = new AgentInstaller(agentOptions, Options.Create(new HostSettings { DataDir = dataDir }), loggers.CreateLogger<AgentInstaller>());
            var launcher = new AgentLauncher(new AgentLaunchResolver(agentOptions, installer), new HostState(TimeProvider.System), loggers, relayOptions.ReadSpin);
            await using var startup = new AgentStartup(launcher);
            startup.Begin();

            Log.Logger = SerilogSetup.Create(configuration, dataDir);
            early.HandOver(Log.Logger);
            WarnIfRootWithoutSandbox();

            using IHost host = Build(configuration, dataDir, stdio, relayOptions, installer, launcher, startup);
            ExitStatus exitStatus = host.Services.GetRequiredService<ExitStatus>();
            await host.RunAsync().ConfigureAwait(false);
            return exitStatus.Code;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidDataException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            // Configuration could not be read (a bad value, or appsettings.json that is not JSON: InvalidDataException
            // naming the file and the position): there is no host logger, so whatever waited goes to stderr.
            if (Log.Logger == Serilog.Core.Logger.None)
            {
                Log.Logger = SerilogSetup.CreateBootstrap();
            }

            early.HandOver(Log.Logger);
            Log.Fatal("Cannot start: {Reason}", Reason(ex));
            return ExitStatus.StartupFailed;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }

    private static IHost Build(
        IConfigurationRoot configuration, string dataDir, StdioStreams stdio, RelayOptions relayOptions, AgentInstaller installer, AgentLauncher launcher, AgentStartup startup)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddConfiguration(configuration);
        // Serilog.Extensions.Hosting: Serilog becomes the host's logger factory (no other provider, no second level
        // filter in front of Serilog's own). The logger is flushed in RunAsync's finally, not by the container.
        builder.Services.AddSerilog(Log.Logger, dispose: false);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.Services.Configure<HostSettings>(configuration);
        builder.Services.PostConfigure<HostSettings>(settings => settings.DataDir = dataDir);
        builder.Services.AddSingleton(Options.Create(relayOptions));

        builder.Services.AddSingleton(stdio);
        builder.Services.AddSingleton<ExitStatus>();
        builder.Services.AddSingleton<ShutdownDeadline>();
        builder.Services.AddSingleton<ShutdownWatchdog>();
        builder.Services.AddSingleton(installer);
        builder.Services.AddSingleton(launcher);
        builder.Services.AddSingleton(startup);
        builder.Services.AddOptions<RestartOptions>()
            .Bind(configuration.GetSection(RestartOptions.Section))
            .Validate(
                options => options.MaxRestarts >= 0 && SettingBounds.IsTiming(options.Window, zeroAllowed: false) && options.Delays.All(d => SettingBounds.IsTiming(d)),
                "Agent:Restart settings must not be negative, nor more than a day")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new RestartPolicy(services.GetRequiredService<IOptions<RestartOptions>>().Value, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ClientChoices>();
        builder.Services.AddSingleton<LostSessions>();
        builder.Services.AddSingleton<ChoiceReplay>();
        builder.Services.AddSingleton<SessionRestorer>();
        builder.Services.AddSingleton<AgentRecovery>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionRegistry>();
        builder.Services.AddSingleton<ClientChannel>();
        builder.Services.AddSingleton<ClientProfile>();
        builder.Services.AddSingleton(NoticeSwitches.From(configuration));
        builder.Services.AddSingleton<NoticeDesk>();
        builder.Services.AddSingleton<INotices>(services => services.GetRequiredService<NoticeDesk>());
        builder.Services.AddSingleton(launcher.State);
        builder.Services.AddSingleton<HostEventBus>();
        builder.Services.AddSingleton<RelayCounters>();
        builder.Services.AddOptions<CompactionOptions>()
            .Bind(configuration.GetSection(CompactionOptions.Section))
            .Validate(options => SettingBounds.IsTiming(options.PollInterval, zeroAllowed: false), "Compaction:PollInterval must be above 0 and at most a day")
            .Validate(options => SettingBounds.IsTiming(options.TranscriptWait), "Compaction:TranscriptWait must not be negative, nor more than a day")
            .ValidateOnStart();
        builder.Services.AddSingleton(new CompactionLedger(dataDir));
        builder.Services.AddSingleton<SessionTurns>();
        builder.Services.AddSingleton(UsageSettings.FromConfiguration(configuration));
        builder.Services.AddSingleton<LiveUsage>();
        builder.Services.AddSingleton<ITranscriptFollower>(services => services.GetRequiredService<LiveUsage>());
        builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<CacheExpiryWatch>(services, CacheExpiryWatch.MinTokensFrom(configuration)));
        CompactionRegistration.Add(builder.Services);
        builder.Services.AddOptions<ForkOptions>()
            .Bind(configuration.GetSection(ForkOptions.Section))
            .Validate(options => options.BeforeCompactPercent is null or (>= 0 and <= 100), "Fork:BeforeCompactPercent must be a percentage from 0 (off) to 100")
            .ValidateOnStart();
        builder.Services.AddSingleton<ForkAnnouncer>();
        builder.Services.AddSingleton(services => new SessionGate(
            services.GetRequiredService<ClientChannel>(),
            services.GetRequiredService<ILogger<SessionGate>>(),
            (method, sessionId, outlet) => services.GetRequiredService<ClosedForks>().BeforeHold(method, sessionId, outlet)));
        builder.Services.AddSingleton<ClosedForks>();
        builder.Services.AddSingleton<IClosedSessions>(services => services.GetRequiredService<ClosedForks>());
        builder.Services.AddSingleton<ForkService>();
        builder.Services.AddSingleton(new SessionLedger(dataDir));
        builder.Services.AddSingleton<SessionHistory>();
        builder.Services.AddSingleton<AgentCommandNames>();
        builder.Services.AddSingleton<LineageRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LineageRecorder>());
        builder.Services.AddSingleton<ControlRequestHandler>();
        builder.Services.AddHostedService<ControlEndpoint>();

        // Interceptors run in this order. The lost-session guard first: a request it answers reaches no feature (and
        // no closed fork is reopened for it). Then the closed-fork reopener and the session tracker, so the others find
        // each session registered; the session gate before the features that act on a session's messages, so that what
        // it holds back and lets go later reaches them in order; the fork features before the compaction signals, so a
        // prompt the host answers itself never reaches it; the command list and the fork titles before the fork announcer,
        // which lets a new fork's held updates go straight to the client; the hold on a turn's end after everything that
        // acts on it (the compaction signals, the pre-compact fork); the fork announcer last, since the updates it holds
        // back have been through the rest.
        builder.Services.AddSingleton<IMessageInterceptor, LostSessionGuard>();
        builder.Services.AddSingleton<IMessageInterceptor>(services => services.GetRequiredService<ClosedForks>());
        builder.Services.AddSingleton<IMessageInterceptor, SessionTracker>();
        builder.Services.AddSingleton<IMessageInterceptor>(services => services.GetRequiredService<SessionRestorer>());
        builder.Services.AddSingleton<IMessageInterceptor, ChoiceRecorder>();
        builder.Services.AddSingleton<IMessageInterceptor>(services => services.GetRequiredService<SessionGate>());
        builder.Services.AddSingleton<IMessageInterceptor, NoticeFlush>();
        builder.Services.AddSingleton<IMessageInterceptor, ForkCommand>();
        builder.Services.AddSingleton<IMessageInterceptor>(services => ActivatorUtilities.CreateInstance<HistoryCommands>(services, MarkFor(services)));
        builder.Services.AddSingleton<IMessageInterceptor, ForkMethod>();
        builder.Services.AddSingleton<IMessageInterceptor, PreCompactFork>();
        builder.Services.AddSingleton<IMessageInterceptor>(services => services.GetRequiredService<CompactionSignals>());
        builder.Services.AddSingleton<IMessageInterceptor>(services => services.GetRequiredService<CacheExpiryWatch>());
        builder.Services.AddSingleton<IMessageInterceptor, CommandList>();
        builder.Services.AddSingleton<IMessageInterceptor, ForkTitles>();
        builder.Services.AddSingleton<IMessageInterceptor, TurnEndHold>();
        builder.Services.AddSingleton<IMessageInterceptor>(services => services.GetRequiredService<ForkAnnouncer>());
        builder.Services.AddSingleton<RelayFactory>();

        // Telemetry is registered before the relay service, so it stops after it and flushes what the relay's end
        // published. Off (the default), no OpenTelemetry assembly is ever loaded: the switch reads plain configuration.
        if (TelemetrySwitch.IsOn(configuration))
        {
            TelemetryRegistration.Add(builder.Services, configuration);
        }

        builder.Services.AddHostedService<RelayService>();
        if (relayOptions.ReleaseStartupPages)
        {
            builder.Services.AddHostedService<StartupPagesRelease>();
        }
        return builder.Build();
    }

    /// <summary>The fill at which a session with a given window is forked before compaction, as the fork feature decides it; null when off.</summary>
    private static Func<long, long?> MarkFor(IServiceProvider services)
    {
        ForkOptions options = services.GetRequiredService<IOptions<ForkOptions>>().Value;
        PreCompactPolicy? policy = options.ForksBeforeCompact ? new PreCompactPolicy(options.BeforeCompactPercent!.Value) : null;
        return window => policy?.MarkFor(window);
    }

    /// <summary>
    /// The exception's message and its causes': for appsettings.json that is not JSON, configuration's "Failed to load
    /// configuration from file '…'" says where, "Could not parse the JSON file" under it says what, and the JSON
    /// reader's message under that says which character on which line.
    /// </summary>
    internal static string Reason(Exception ex)
    {
        var reason = new System.Text.StringBuilder(ex.Message.TrimEnd('.'));
        for (Exception? cause = ex.InnerException; cause is not null; cause = cause.InnerException)
        {
            reason.Append(": ").Append(cause.Message.TrimEnd('.'));
        }

        return reason.ToString();
    }

    private static void WarnIfRootWithoutSandbox()
    {
        if (!OperatingSystem.IsWindows() && Environment.UserName == "root" && Environment.GetEnvironmentVariable("IS_SANDBOX") != "1")
        {
            Log.Warning("Running as root without IS_SANDBOX=1: the Claude agent refuses to create sessions as root unless IS_SANDBOX=1 is set (only do that in a sandbox)");
        }
    }
}
