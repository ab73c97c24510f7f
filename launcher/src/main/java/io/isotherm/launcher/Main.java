package io.isotherm.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/** {@code isotherm serve | aggregate | capture | site | user | token | database}: one executable for every role and for administration. */
@Command(name = "isotherm", mixinStandardHelpOptions = true, version = "Isotherm 0.1.0",
        description = "Self-hosted website heatmaps. Configuration comes from ISOTHERM_* environment variables (see README).")
public final class Main extends CommandGroup {
    public static void main(String[] args) {
        int code = run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (code != 0 || args.length == 0 || !args[0].equals("serve")) {
            System.exit(code);
        }
    }

    /** Runs a command with the given environment and output streams; returns the exit code. */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        Settings settings;
        try {
            settings = Settings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        }
        var site = new CommandLine(new SiteCommand())
                .addSubcommand(new SiteCommand.AddSite(settings, out))
                .addSubcommand(new SiteCommand.ListSites(settings, out))
                .addSubcommand(new SiteCommand.EditSite(settings, out))
                .addSubcommand(new SiteCommand.RemoveSite(settings, out));
        var user = new CommandLine(new UserCommand())
                .addSubcommand(new UserCommand.AddUser(settings, out))
                .addSubcommand(new UserCommand.ListUsers(settings, out))
                .addSubcommand(new UserCommand.RemoveUser(settings, out))
                .addSubcommand(new UserCommand.ChangePassword(settings, out));
        var token = new CommandLine(new TokenCommand())
                .addSubcommand(new TokenCommand.CreateToken(settings, out))
                .addSubcommand(new TokenCommand.ListTokens(settings, out))
                .addSubcommand(new TokenCommand.RevokeToken(settings, out));
        var database = new CommandLine(new DatabaseAdminCommand())
                .addSubcommand(new DatabaseAdminCommand.Distribute(settings, out));
        var root = new CommandLine(new Main())
                .addSubcommand(new ServeCommand(settings))
                .addSubcommand(new AggregateCommand(settings, out))
                .addSubcommand(new CaptureCommand(settings, out))
                .addSubcommand(new ExportCommand(settings, out))
                .addSubcommand(site)
                .addSubcommand(user)
                .addSubcommand(token)
                .addSubcommand(database);
        root.setOut(out).setErr(err);
        root.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return root.execute(args);
    }
}
