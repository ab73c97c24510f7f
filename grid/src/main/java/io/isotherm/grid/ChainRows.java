package io.isotherm.grid;

import io.isotherm.grid.DayBlocks.Block;
import io.isotherm.grid.DayBlocks.Chain;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * One band's (or one target's) rows of the chains a refresh adds days to, in memory: the rows it loaded, then each
 * day's new counts added to every row that holds the day, and the rows the day needs made where missing, from the
 * longest row before them. Every row then holds the sum of the counts of its days, which is what readers rely on.
 *
 * @param <V> a row's counts; {@code plus} adds two of them without changing either
 */
final class ChainRows<V> {
    private final BinaryOperator<V> plus;
    private final Map<LocalDate, TreeMap<Integer, V>> rows = new HashMap<>();
    private final Set<Block> loaded = new LinkedHashSet<>(), changed = new LinkedHashSet<>();

    ChainRows(BinaryOperator<V> plus) {
        this.plus = plus;
    }

    /** A row as the database holds it; a refresh loads every row of a chain from the first day it adds to on, and the longest before. */
    void load(Block block, V value) {
        if (rows.computeIfAbsent(block.first(), f -> new TreeMap<>()).putIfAbsent(block.span(), value) == null) loaded.add(block);
    }

    /**
     * Adds a day's counts: to every row of the day's chains that holds it, and as the rows for the day (its chain's
     * row ending with it, its block's row in the next chain) where there are none yet: the longest row before plus the
     * day, or plus the whole block for a chain of blocks.
     */
    void add(List<Chain> chains, V day) {
        Set<Block> holding = new LinkedHashSet<>();
        for (Chain c : chains) {
            TreeMap<Integer, V> chain = rows.get(c.first());
            if (chain == null) continue;
            for (int span : chain.subMap(c.offset(), true, c.length(), true).keySet()) {
                if (span % c.step() == 0) holding.add(new Block(span, c.first()));
            }
        }
        for (Block b : holding) {
            rows.get(b.first()).computeIfPresent(b.span(), (s, v) -> plus.apply(v, day));
            changed.add(b);
        }
        for (int i = 0; i < chains.size(); i++) {
            Chain c = chains.get(i);
            TreeMap<Integer, V> chain = rows.computeIfAbsent(c.first(), f -> new TreeMap<>());
            if (chain.containsKey(c.offset())) continue;
            V added = i == 0 ? day : latest(chains.get(i - 1), chains.get(i - 1).length());
            V before = latest(c, c.offset() - 1);
            chain.put(c.offset(), before == null ? added : plus.apply(before, added));
            changed.add(new Block(c.offset(), c.first()));
        }
    }

    /** The longest row of the chain whose span is at most {@code maxSpan}, or null. */
    V latest(Chain c, int maxSpan) {
        TreeMap<Integer, V> chain = rows.get(c.first());
        if (chain == null) return null;
        for (Map.Entry<Integer, V> e : chain.headMap(maxSpan, true).descendingMap().entrySet()) {
            if (e.getKey() % c.step() == 0) return e.getValue();
        }
        return null;
    }

    V get(Block block) {
        TreeMap<Integer, V> chain = rows.get(block.first());
        return chain == null ? null : chain.get(block.span());
    }

    /** The rows added to or made since loading. */
    Set<Block> changed() {
        return changed;
    }

    /** Whether the row was loaded (it is in the database: update it) rather than made here (insert it). */
    boolean wasLoaded(Block block) {
        return loaded.contains(block);
    }
}
