using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoMLStudio.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StoredBeforeValuesFilledIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => StoredBeforeValues.Up(migrationBuilder);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The filled-in values are what the code read those rows as, so there is nothing to undo.
        }
    }
}
