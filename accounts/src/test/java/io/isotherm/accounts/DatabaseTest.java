package io.isotherm.accounts;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A test class with a fresh database of its own, emptied before each test. */
abstract class DatabaseTest {
    static TestDb db;

    @BeforeAll
    static void openDatabase() {
        db = TestDb.open();
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @BeforeEach
    void emptyDatabase() {
        db.reset();
    }
}
