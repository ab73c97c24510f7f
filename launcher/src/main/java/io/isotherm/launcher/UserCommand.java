package io.isotherm.launcher;

import io.isotherm.accounts.AccountError;
import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.User;
import io.isotherm.accounts.Users;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code user add|list|remove|password}: the people who sign in to the dashboard. Passwords come from standard
 * input, never from an option, so they stay out of shell history and the process list. Like {@code site …}, these
 * work whether or not Isotherm is serving on the same data.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage the people who sign in to the dashboard.")
final class UserCommand extends CommandGroup {


    /** The user with this email, or a "no user" error (exit 1). */
    static User byEmail(Users users, String email) {
        return users.findByEmail(email).orElseThrow(() -> AccountError.notFound("no user has the email " + email));
    }

    private abstract static class Base extends DatabaseCommand {
        Base(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(Jdbi jdbi) throws Exception {
            return run(new Accounts(jdbi), jdbi);
        }

        abstract int run(Accounts accounts, Jdbi jdbi) throws Exception;

        String readPassword(String prompt) throws IOException {
            return PasswordInput.read(spec.commandLine().getErr(), prompt);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user. The password is read from standard input (its first line), or typed at a prompt.")
    static final class AddUser extends Base {
        @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The email address the user signs in with.")
        String email;

        @Option(names = "--admin", description = "Make the user an administrator: manages users and every site.")
        boolean admin;

        private String password;

        AddUser(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        void before() throws IOException {
            password = readPassword("Password for " + email + ": ");
        }

        @Override
        int run(Accounts accounts, Jdbi jdbi) throws Exception {
            User user = accounts.users().add(email, password, admin);
            var result = new LinkedHashMap<String, Object>();
            result.put("id", user.id());
            result.put("email", user.email());
            result.put("admin", user.admin());
            print(result, "added " + user.email() + " (id " + user.id() + (user.admin() ? ", administrator" : "") + ")");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users with their sites and roles.")
    static final class ListUsers extends Base {
        ListUsers(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        /** One site membership, as the list shows it. */
        record SiteRole(long userId, String key, String name, String role) {}

        @Override
        int run(Accounts accounts, Jdbi jdbi) throws Exception {
            List<User> users = accounts.users().list();
            // One join for every user's sites, rather than a query per user.
            List<SiteRole> memberships = jdbi.withHandle(h -> h.createQuery("""
                            SELECT m.user_id, s.public_key, s.name, m.role
                            FROM site_member m JOIN site s USING (site_id)
                            ORDER BY lower(s.name), s.public_key""")
                    .map((rs, ctx) -> new SiteRole(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                    .list());
            var json = new ArrayList<Map<String, Object>>();
            var text = new StringBuilder();
            for (User user : users) {
                List<SiteRole> sites = memberships.stream().filter(m -> m.userId() == user.id()).toList();
                var entry = new LinkedHashMap<String, Object>();
                entry.put("id", user.id());
                entry.put("email", user.email());
                entry.put("admin", user.admin());
                entry.put("createdAt", user.createdAt().toString());
                entry.put("sites", sites.stream().map(s -> Map.of("key", s.key(), "name", s.name(), "role", s.role())).toList());
                json.add(entry);
                text.append(user.email()).append('\t').append(user.admin() ? "admin" : "user").append('\t')
                        .append(sites.isEmpty() ? "no sites"
                                : String.join(", ", sites.stream().map(s -> s.name() + " (" + s.key() + ") " + s.role()).toList()))
                        .append('\n');
            }
            print(json, users.isEmpty() ? "no users yet" : text.toString().stripTrailing());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a user with their sessions, API tokens and site memberships.")
    static final class RemoveUser extends Base {
        @Parameters(paramLabel = "EMAIL", description = "The user's email address.")
        String email;

        RemoveUser(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(Accounts accounts, Jdbi jdbi) throws Exception {
            User user = byEmail(accounts.users(), email);
            if (!accounts.users().remove(user.id())) {
                throw AccountError.notFound("no user has the email " + email); // removed meanwhile by someone else
            }
            print(Map.of("id", user.id(), "email", user.email(), "removed", true), "removed " + user.email());
            return 0;
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true,
            description = "Set a user's password (read from standard input, or typed at a prompt) and end their sessions.")
    static final class ChangePassword extends Base {
        @Parameters(paramLabel = "EMAIL", description = "The user's email address.")
        String email;

        private String password;

        ChangePassword(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        void before() throws IOException {
            password = readPassword("New password for " + email + ": ");
        }

        @Override
        int run(Accounts accounts, Jdbi jdbi) throws Exception {
            User user = byEmail(accounts.users(), email);
            // setPassword ends the sessions in its own transaction without counting them; count the live ones first.
            int sessions = accounts.sessions().list(user.id()).size();
            if (!accounts.users().setPassword(user.id(), password)) {
                throw AccountError.notFound("no user has the email " + email);
            }
            var result = new LinkedHashMap<String, Object>();
            result.put("id", user.id());
            result.put("email", user.email());
            result.put("sessionsEnded", sessions);
            print(result, "password changed; " + sessions + (sessions == 1 ? " session" : " sessions") + " ended");
            return 0;
        }
    }

    /** Where a new password comes from: typed at the terminal without echo, else the first line of standard input. */
    static final class PasswordInput {
        private PasswordInput() {
        }

        static String read(PrintWriter err, String prompt) throws IOException {
            Console console = terminal();
            String password;
            if (console != null) {
                err.print(prompt);
                err.flush();
                password = chars(console.readPassword());
                err.print("Repeat it: ");
                err.flush();
                // Typed blind, a typo would lock the user out: ask twice.
                if (password != null && !password.equals(chars(console.readPassword()))) {
                    throw AccountError.invalid("password", "the two passwords differ");
                }
            } else {
                // Not buffered beyond this command: the process reads nothing else from standard input.
                password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            if (password == null || password.isEmpty()) {
                throw AccountError.invalid("password", "password is required: give it as the first line of standard input");
            }
            return password;
        }

        /** The console when standard input is a terminal, else null. */
        private static Console terminal() {
            Console console = System.console();
            if (console == null) return null;
            // From Java 22 on there is a console even when the streams are redirected; isTerminal() tells them apart.
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console) ? console : null;
            } catch (ReflectiveOperationException e) {
                return console; // Java 17 to 21: a console exists only on a terminal
            }
        }

        private static String chars(char[] typed) {
            if (typed == null) return null;
            String text = new String(typed);
            Arrays.fill(typed, ' ');
            return text;
        }
    }
}
