using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoMLStudio.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UnsetLimitsAreNull : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "MaxTrials",
                table: "Searches",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AlterColumn<int>(
                name: "MaxEpochsPerTrial",
                table: "Searches",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            // Issue 18 stored "not set" as 0 (never a valid limit) while these columns had to stay NOT NULL.
            migrationBuilder.Sql("UPDATE \"Searches\" SET \"MaxTrials\" = NULL WHERE \"MaxTrials\" = 0");
            migrationBuilder.Sql("UPDATE \"Searches\" SET \"MaxEpochsPerTrial\" = NULL WHERE \"MaxEpochsPerTrial\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Searches\" SET \"MaxTrials\" = 0 WHERE \"MaxTrials\" IS NULL");
            migrationBuilder.Sql("UPDATE \"Searches\" SET \"MaxEpochsPerTrial\" = 0 WHERE \"MaxEpochsPerTrial\" IS NULL");

            migrationBuilder.AlterColumn<int>(
                name: "MaxTrials",
                table: "Searches",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "MaxEpochsPerTrial",
                table: "Searches",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);
        }
    }
}
