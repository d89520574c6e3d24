using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AutoMLStudio.Core.Data.Migrations;

/// <summary>
/// The migrations of the provider in use. SQLite and PostgreSQL each need their own migrations (column types and
/// table rebuilds differ), and both sets live in Core under Sqlite/ and Postgres/; EF Core's default would see both
/// sets as one history, so this picks the set by namespace (docs/adr/0043-schema-by-ef-core-migrations.md).
/// </summary>
public sealed class ProviderMigrations(ICurrentDbContext current) : IMigrationsAssembly
{
    public const string SqliteNamespace = "AutoMLStudio.Core.Data.Migrations.Sqlite";
    public const string PostgresNamespace = "AutoMLStudio.Core.Data.Migrations.Postgres";

    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private ModelSnapshot? _snapshot;

    public Assembly Assembly => typeof(ProviderMigrations).Assembly;

    private string Namespace => current.Context.Database.IsNpgsql() ? PostgresNamespace : SqliteNamespace;

    private IEnumerable<TypeInfo> Types => Assembly.DefinedTypes.Where(t => t.Namespace == Namespace && !t.IsAbstract
        && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == current.Context.GetType());

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations ??= Types
        .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<MigrationAttribute>() is not null)
        .OrderBy(t => t.GetCustomAttribute<MigrationAttribute>()!.Id, StringComparer.Ordinal)
        .ToDictionary(t => t.GetCustomAttribute<MigrationAttribute>()!.Id, t => t);

    public ModelSnapshot? ModelSnapshot => _snapshot ??= Types.Where(t => t.IsSubclassOf(typeof(ModelSnapshot)))
        .Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!).SingleOrDefault();

    public string? FindMigrationId(string nameOrId) => Migrations.Keys.FirstOrDefault(id =>
        string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
        || string.Equals(id[(id.IndexOf('_') + 1)..], nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }
}
