package io.isotherm.db;

import java.nio.file.Path;

/** A process that starts (or attaches to) the embedded database of a data directory and waits to be killed. */
final class EmbeddedDatabaseOwner {
    public static void main(String[] args) throws Exception {
        var db = EmbeddedDatabase.startOrAttach(Path.of(args[0]));
        System.out.println("ready port=" + db.port() + " owned=" + db.owned());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private EmbeddedDatabaseOwner() {
    }
}
