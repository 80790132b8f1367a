package storage

import (
	"context"
	"fmt"
	"sort"
)

// A team's data is found from the schema, not from a list: every table
// with a team_id column holds rows of teams, and every table whose foreign
// key points at such a table (decision_voter, stance... and those of
// tables yet to come) holds rows that belong to the same team. Export and
// erasure walk that tree, so a new table is covered as soon as it has a
// team_id or a foreign key to a table that has one.

// secretColumns are never exported: what lets anyone speak to Balise as
// the team (command tokens) or link anonymous voters (a decision's secret).
var secretColumns = map[string]bool{"token": true, "secret": true}

// teamTable is a table holding a team's rows, and the condition that picks
// them (with one ? for the team id).
type teamTable struct {
	name  string
	where string
	depth int // 0 for tables with a team_id, 1 for their children...
}

// teamTables reads the schema in tx.
func teamTables(ctx context.Context, tx *txn) ([]teamTable, error) {
	rows, err := tx.QueryContext(ctx, `SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND c.name = 'team_id' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name`)
	if err != nil {
		return nil, err
	}
	var out []teamTable
	owned := map[string]teamTable{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, err
		}
		t := teamTable{name: name, where: "team_id = ?"}
		out, owned[name] = append(out, t), t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	type fk struct{ table, from, parent, to string }
	rows, err = tx.QueryContext(ctx, `SELECT m.name, f."from", f."table", COALESCE(f."to", 'rowid') FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' ORDER BY m.name`)
	if err != nil {
		return nil, err
	}
	var fks []fk
	for rows.Next() {
		var f fk
		if err := rows.Scan(&f.table, &f.from, &f.parent, &f.to); err != nil {
			rows.Close()
			return nil, err
		}
		fks = append(fks, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for depth := 1; ; depth++ {
		added := false
		for _, f := range fks {
			parent, ok := owned[f.parent]
			if _, done := owned[f.table]; !ok || done {
				continue
			}
			t := teamTable{name: f.table, depth: depth,
				where: fmt.Sprintf("%q IN (SELECT %q FROM %q WHERE %s)", f.from, f.to, parent.name, parent.where)}
			out, owned[f.table], added = append(out, t), t, true
		}
		if !added {
			break
		}
	}
	return out, nil
}

// TeamExport is a team's data: each table's rows, as column → value.
type TeamExport map[string][]map[string]any

// ExportTeam returns every row of the team's, in one snapshot, but for the
// secret columns.
func (d *DB) ExportTeam(ctx context.Context, teamID string) (TeamExport, error) {
	out := TeamExport{}
	err := d.read(ctx, func(tx *txn) error {
		tables, err := teamTables(ctx, tx)
		if err != nil {
			return err
		}
		for _, t := range tables {
			rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT * FROM %q WHERE %s ORDER BY 1`, t.name, t.where), teamID)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			cols, _ := rows.Columns()
			list := []map[string]any{}
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				row := map[string]any{}
				for i, c := range cols {
					if !secretColumns[c] {
						row[c] = vals[i]
					}
				}
				list = append(list, row)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			out[t.name] = list
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export team %s: %w", teamID, err)
	}
	return out, nil
}

// EraseTeam deletes every row of the team's and returns how many per
// table. Deleted content is overwritten in the database file
// (secure_delete), the register's search index is rebuilt without it, and
// the WAL is checkpointed and truncated, so that nothing of the team stays
// in the files on disk.
func (d *DB) EraseTeam(ctx context.Context, teamID string) (map[string]int64, error) {
	counts := map[string]int64{}
	err := d.inTx(ctx, func(tx *txn) error {
		tables, err := teamTables(ctx, tx)
		if err != nil {
			return err
		}
		// Children first: their condition reads their parents' rows.
		sort.SliceStable(tables, func(i, j int) bool { return tables[i].depth > tables[j].depth })
		for _, t := range tables {
			res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %q WHERE %s`, t.name, t.where), teamID)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			counts[t.name], _ = res.RowsAffected()
		}
		return optimizeSearch(ctx, tx)
	})
	if err != nil {
		return nil, fmt.Errorf("erase team %s: %w", teamID, err)
	}
	return counts, d.wipeWAL(ctx)
}

// optimizeSearch merges the full-text indexes, which drops what deleted
// rows left in them (a contentless index keeps their words until merged).
func optimizeSearch(ctx context.Context, tx *txn) error {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%'`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %q (%q) VALUES ('optimize')`, n, n)); err != nil {
			return fmt.Errorf("optimize %s: %w", n, err)
		}
	}
	return rows.Err()
}

// TeamTableNames lists the tables that hold teams' rows, for the record.
func (d *DB) TeamTableNames(ctx context.Context) ([]string, error) {
	var names []string
	err := d.read(ctx, func(tx *txn) error {
		tables, err := teamTables(ctx, tx)
		for _, t := range tables {
			names = append(names, t.name)
		}
		return err
	})
	sort.Strings(names)
	return names, err
}
