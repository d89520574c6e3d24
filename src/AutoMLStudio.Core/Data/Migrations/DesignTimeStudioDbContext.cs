using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AutoMLStudio.Core.Data.Migrations;

/// <summary>
/// What <c>dotnet ef migrations add</c> builds the context with: the provider named by AMLS_EF_PROVIDER (sqlite, the
/// default, or postgres). No database is opened to scaffold a migration. See docs/adr/0043-schema-by-ef-core-migrations.md.
/// </summary>
public sealed class DesignTimeStudioDbContext : IDesignTimeDbContextFactory<StudioDbContext>
{
    public StudioDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<StudioDbContext>();
        if (Environment.GetEnvironmentVariable("AMLS_EF_PROVIDER") == "postgres")
            options.UseNpgsql("Host=localhost;Database=amls_design_time");
        else
            options.UseSqlite("Data Source=design-time.db");
        return new StudioDbContext(options.Options);
    }
}
