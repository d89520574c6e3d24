using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace AutoMLStudio.Core.Data.Migrations;

/// <summary>
/// Releases before migrations made the schema with EnsureCreated plus an add-only upgrade, so their databases have the
/// tables but no migrations history. Such a database is brought to exactly the first migration's schema by adding what
/// that migration creates and the database lacks (tables, columns, indexes; nothing is dropped or changed, so no row is
/// lost), and the first migration is recorded as applied; the later migrations then run as on any other database.
/// </summary>
public static class LegacyBaseline
{
    /// <summary>A table every release has had: its presence without a history means a database from before migrations.</summary>
    private const string ProbeTable = "AspNetUsers";

    public static async Task<IReadOnlyList<string>> ApplyAsync(StudioDbContext db, CancellationToken ct = default)
    {
        var sqlite = db.Database.IsSqlite();
        var connection = db.Database.GetDbConnection();
        var tables = await NamesAsync(connection, sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", ct);
        // Asked of the catalog, like the tables: on the PostgreSQL fixture, the history repository did not report the table missing.
        if (tables.Contains(HistoryRepository.DefaultTableName) || !tables.Contains(ProbeTable)) return [];
        var history = db.GetService<IHistoryRepository>();

        var migrations = db.GetService<IMigrationsAssembly>();
        var (initialId, initialType) = migrations.Migrations.First();
        var initial = migrations.CreateMigration(initialType, db.Database.ProviderName!);
        var indexes = await NamesAsync(connection, sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index'"
            : "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()", ct);
        var missing = new List<MigrationOperation>();
        foreach (var operation in initial.UpOperations)
        {
            switch (operation)
            {
                case CreateTableOperation create when !tables.Contains(create.Name):
                    missing.Add(create);
                    break;
                case CreateTableOperation create:
                    var columns = await NamesAsync(connection, sqlite
                        ? $"SELECT name FROM pragma_table_info('{create.Name}')"
                        : $"SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{create.Name}'", ct);
                    foreach (var column in create.Columns.Where(c => !columns.Contains(c.Name)))
                    {
                        // Existing rows need a value in a new NOT NULL column: the default of its type, as the add-only upgrade gave.
                        if (!column.IsNullable && column.DefaultValue is null && column.DefaultValueSql is null)
                            column.DefaultValue = column.ClrType == typeof(string) ? "" : Activator.CreateInstance(column.ClrType);
                        missing.Add(column);
                    }
                    break;
                case CreateIndexOperation index when !indexes.Contains(index.Name):
                    missing.Add(index);
                    break;
            }
        }

        var commands = db.GetService<IMigrationsSqlGenerator>().Generate(missing).ToList();
        var relational = db.GetService<IRelationalConnection>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var command in commands) await command.ExecuteNonQueryAsync(relational, null, ct);
        await db.Database.ExecuteSqlRawAsync(Escape(history.GetCreateIfNotExistsScript()), ct);
        await db.Database.ExecuteSqlRawAsync(Escape(history.GetInsertScript(new HistoryRow(initialId, ProductInfo.GetVersion()))), ct);
        await transaction.CommitAsync(ct);
        return [.. commands.Select(c => c.CommandText.Trim().Split('\n')[0]), $"baseline: {initialId} recorded as applied"];
    }

    private static string Escape(string sql) => sql.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

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
