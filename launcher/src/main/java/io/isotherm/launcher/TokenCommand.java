package io.isotherm.launcher;

import io.isotherm.accounts.AccountError;
import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.ApiTokens;
import io.isotherm.accounts.Role;
import io.isotherm.accounts.User;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code token create|list|revoke}: API tokens for scripts. A token acts for its user, never beyond what the user may
 * do; its secret is printed once and only its hash is stored.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens for scripts.")
final class TokenCommand extends CommandGroup {

    /** What a token may do: read reports, or also change what its user may change. */
    enum Scope { read, write }


    private abstract static class Base extends DatabaseCommand {
        Base(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(Jdbi jdbi) throws Exception {
            return run(new Accounts(jdbi), new SiteDao(jdbi));
        }

        abstract int run(Accounts accounts, SiteDao sites) throws Exception;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API token for a user and print it. It is shown this once only.")
    static final class CreateToken extends Base {
        @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The user the token acts for.")
        String email;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the token is for, e.g. \"weekly report\".")
        String name;

        @Option(names = "--site", paramLabel = "KEY", description = "Limit the token to this site (default: every site of the user).")
        String siteKey;

        @Option(names = "--scope", paramLabel = "read|write", description = "read or write (default: ${DEFAULT-VALUE}).")
        Scope scope = Scope.read; // the safer choice: writing has to be asked for

        CreateToken(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(Accounts accounts, SiteDao sites) throws Exception {
            User user = UserCommand.byEmail(accounts.users(), email);
            Site site = siteKey == null ? null : usableSite(accounts, sites, user);
            var created = accounts.tokens().create(user.id(), name, site == null ? null : site.id(), scope == Scope.read);
            var result = new LinkedHashMap<String, Object>();
            result.put("id", created.token().id());
            result.put("token", created.secret());
            result.put("name", created.token().name());
            result.put("site", site == null ? null : site.publicKey());
            result.put("scope", scope.name());
            // Only the secret on stdout, so that TOKEN=$(isotherm token create …) captures it.
            print(result, created.secret());
            return 0;
        }

        /** The site of --site, if the user may use it as the scope asks. */
        private Site usableSite(Accounts accounts, SiteDao sites, User user) {
            Site site = sites.findByKey(siteKey).orElseThrow(() -> AccountError.notFound("no site has the key " + siteKey));
            if (user.admin()) return site;
            Optional<Role> role = accounts.members().roleOf(user.id(), site.id());
            if (role.isEmpty()) {
                throw AccountError.conflict("site", user.email() + " is neither an administrator nor a member of the site " + siteKey);
            }
            if (scope == Scope.write && !role.get().canChange()) {
                throw AccountError.conflict("scope", user.email() + " is a viewer of the site " + siteKey
                        + " and may not change it: use --scope read");
            }
            return site;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List API tokens (never their secrets), revoked ones included.")
    static final class ListTokens extends Base {
        @Option(names = "--email", paramLabel = "EMAIL", description = "Only this user's tokens.")
        String email;

        ListTokens(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(Accounts accounts, SiteDao sites) throws Exception {
            Long userId = email == null ? null : UserCommand.byEmail(accounts.users(), email).id();
            List<ApiTokens.Token> tokens = accounts.tokens().list(userId);
            Map<Long, String> emails = accounts.users().list().stream().collect(Collectors.toMap(User::id, User::email));
            Map<Integer, String> keys = sites.list().stream().collect(Collectors.toMap(Site::id, Site::publicKey));
            var json = new ArrayList<Map<String, Object>>();
            var text = new StringBuilder();
            for (ApiTokens.Token token : tokens) {
                String site = token.siteId() == null ? null : keys.get(token.siteId());
                String scope = token.readOnly() ? "read" : "write";
                var entry = new LinkedHashMap<String, Object>();
                entry.put("id", token.id());
                entry.put("email", emails.get(token.userId()));
                entry.put("name", token.name());
                entry.put("site", site);
                entry.put("scope", scope);
                entry.put("createdAt", iso(token.createdAt()));
                entry.put("lastUsedAt", iso(token.lastUsedAt()));
                entry.put("revokedAt", iso(token.revokedAt()));
                json.add(entry);
                text.append(token.id()).append('\t').append(emails.get(token.userId())).append('\t').append(token.name())
                        .append('\t').append(site == null ? "all sites" : site).append('\t').append(scope)
                        .append("\tcreated ").append(iso(token.createdAt()))
                        .append("\tlast used ").append(token.lastUsedAt() == null ? "never" : iso(token.lastUsedAt()))
                        .append('\t').append(token.revokedAt() == null ? "live" : "revoked " + iso(token.revokedAt()))
                        .append('\n');
            }
            print(json, tokens.isEmpty() ? "no tokens yet" : text.toString().stripTrailing());
            return 0;
        }

        private static String iso(Instant instant) {
            return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API token: it stops working at once.")
    static final class RevokeToken extends Base {
        @Parameters(paramLabel = "ID", description = "The token's id, from token list.")
        long id;

        RevokeToken(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(Accounts accounts, SiteDao sites) throws Exception {
            if (!accounts.tokens().revoke(id, null)) {
                throw AccountError.notFound("no live token has the id " + id);
            }
            print(Map.of("id", id, "revoked", true), "revoked token " + id);
            return 0;
        }
    }
}
