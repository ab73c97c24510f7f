-- Count grids are now written in the runs form of io.isotherm.grid.PackedCounts: the byte 0x81, then runs of
-- neighbouring indexes, each as varints (indexes skipped since the previous run, the run's length, a count per index,
-- 0 for an index without events). A busy band costs one or two bytes a cell instead of eight. Rows written in the pairs
-- form of V12 stay as they are until the refresh sums them again; unpack_counts reads both.
CREATE OR REPLACE FUNCTION unpack_counts(packed bytea) RETURNS TABLE (idx integer, n integer)
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    len   integer := length(packed);
    pos   integer := 1;  -- the next byte, from 0
    state integer := 0;  -- what the next varint is: 0 a run's skip, 1 its length, 2 a count
    cur   integer := -1; -- the index of the current position (before the first run: -1)
    left_in_run integer := 0;
    value integer;
    shift integer;
    b     integer;
BEGIN
    IF len = 0 THEN
        RETURN;
    END IF;
    IF get_byte(packed, 0) <> 129 THEN
        RETURN QUERY
            SELECT ('x' || encode(substr(packed, o + 1, 4), 'hex'))::bit(32)::integer,
                   ('x' || encode(substr(packed, o + 5, 4), 'hex'))::bit(32)::integer
            FROM generate_series(0, len - 8, 8) AS o;
        RETURN;
    END IF;
    WHILE pos < len LOOP
        value := 0;
        shift := 0;
        LOOP
            b := get_byte(packed, pos);
            pos := pos + 1;
            value := value | ((b & 127) << shift);
            EXIT WHEN b < 128;
            shift := shift + 7;
        END LOOP;
        IF state = 0 THEN
            cur := cur + value + 1;
            state := 1;
        ELSIF state = 1 THEN
            left_in_run := value;
            state := 2;
        ELSE
            IF value <> 0 THEN
                idx := cur;
                n := value;
                RETURN NEXT;
            END IF;
            left_in_run := left_in_run - 1;
            IF left_in_run > 0 THEN
                cur := cur + 1;
            ELSE
                state := 0;
            END IF;
        END IF;
    END LOOP;
END
$$;
