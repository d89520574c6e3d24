using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AutoMLStudio.Core.Data;

/// <summary>
/// Brings a SQLite or PostgreSQL database made by an earlier release up to the current model by adding what is
/// missing: tables (with their indexes, from EF Core's own create script for that provider), columns (nullable, or
/// with the CLR default of their type) and indexes. It never drops or changes anything, so data is kept. Until the
/// studio moves to EF Core migrations, this is what lets an install upgrade in place.
/// </summary>
public static class SchemaUpgrade
{
    public static async Task<IReadOnlyList<string>> ApplyAsync(StudioDbContext db, CancellationToken ct = default)
    {
        var connection = db.Database.GetDbConnection();
        // The caller may hold the connection open (PostgreSQL's advisory lock lives in its session): leave it open then.
        var opened = connection.State != ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            var applied = new List<string>();
            var statements = db.Database.GenerateCreateScript()
                .Split(";", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(s => s.StartsWith("CREATE", StringComparison.Ordinal)).ToList();
            var sqlite = db.Database.IsSqlite();
            var tables = await NamesAsync(connection, sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", ct);

            foreach (var entity in db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && e.FindOwnership() is null))
            {
                var table = entity.GetTableName()!;
                if (!tables.Contains(table))
                {
                    var create = statements.Single(s => s.StartsWith($"CREATE TABLE \"{table}\"", StringComparison.Ordinal));
                    await ExecuteAsync(db, create, applied, ct);
                    tables.Add(table);
                    continue;
                }
                var columns = await NamesAsync(connection, sqlite
                    ? $"SELECT name FROM pragma_table_info('{table}')"
                    : $"SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}'", ct);
                var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
                foreach (var property in entity.GetProperties())
                {
                    var column = property.GetColumnName(store);
                    if (column is null || columns.Contains(column)) continue;
                    await ExecuteAsync(db, $"ALTER TABLE \"{table}\" ADD COLUMN {Definition(property, column)}", applied, ct);
                    columns.Add(column);
                }
            }
            var indexes = await NamesAsync(connection, sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'index'"
                : "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()", ct);
            foreach (var index in statements.Where(s => s.Contains(" INDEX ", StringComparison.Ordinal)))
            {
                var name = index.Split('"')[1];
                if (!indexes.Contains(name)) await ExecuteAsync(db, index, applied, ct);
            }
            return applied;
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    private static string Definition(IProperty property, string column)
    {
        var type = property.GetColumnType();
        if (property.IsNullable) return $"\"{column}\" {type} NULL";
        var mapping = property.GetRelationalTypeMapping();
        object clrDefault = property.ClrType == typeof(string) ? "" : Activator.CreateInstance(property.ClrType)!;
        return $"\"{column}\" {type} NOT NULL DEFAULT {mapping.GenerateSqlLiteral(clrDefault)}";
    }

    private static async Task ExecuteAsync(StudioDbContext db, string sql, List<string> applied, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync(sql.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal), ct);
        applied.Add(sql.Split('\n')[0]);
    }

    private static async Task<HashSet<string>> NamesAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        return names;
    }
}
