using System.Reflection;
using AutoMLStudio.Core.Data;
using NetArchTest.Rules;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// The layering the design names (Engine &lt;- Core &lt;- Web) and the read side: Web renders and routes, Core answers its
/// questions. Checked on the compiled assemblies, so Razor components count as what they compile to.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Web = typeof(Program).Assembly;
    private static readonly Assembly Core = typeof(StudioDbContext).Assembly;
    private static readonly Assembly Engine = typeof(Engine.Seeds).Assembly;

    // The one place that wires the studio together: Identity's EF stores and the database start-up live there.
    private const string Wiring = "AutoMLStudio.Web.DependencyInjection";

    [Fact]
    public void Web_references_no_Engine_type()
    {
        var result = Types.InAssembly(Web).ShouldNot().HaveDependencyOn("AutoMLStudio.Engine").GetResult();
        Assert.True(result.IsSuccessful, Failing("Web types that use Engine types", result));
    }

    [Fact]
    public void No_page_or_route_queries_the_database_itself()
    {
        var result = Types.InAssembly(Web)
            .ShouldNot().HaveDependencyOnAny(typeof(StudioDbContext).FullName!, "Microsoft.EntityFrameworkCore")
            .GetResult();
        // The wiring (and the closures the compiler makes inside it) is the one place allowed to name the DbContext.
        var failing = (result.FailingTypeNames ?? []).Where(n => !n.StartsWith(Wiring, StringComparison.Ordinal)).ToList();
        Assert.True(failing.Count == 0, $"Web types that use the DbContext or EF Core: {string.Join(", ", failing)}");
    }

    [Fact]
    public void Core_does_not_reach_up_into_Web()
    {
        var result = Types.InAssembly(Core).ShouldNot().HaveDependencyOn("AutoMLStudio.Web").GetResult();
        Assert.True(result.IsSuccessful, Failing("Core types that use Web types", result));
    }

    [Fact]
    public void Engine_depends_on_neither_Core_nor_Web()
    {
        var result = Types.InAssembly(Engine).ShouldNot().HaveDependencyOnAny("AutoMLStudio.Core", "AutoMLStudio.Web").GetResult();
        Assert.True(result.IsSuccessful, Failing("Engine types that use Core or Web types", result));
    }

    [Fact]
    public void The_rules_see_a_dependency_where_there_is_one()
    {
        // Guards the rules above against passing vacuously (a wrong namespace string matches nothing).
        Assert.False(Types.InAssembly(Core).ShouldNot().HaveDependencyOn("AutoMLStudio.Engine").GetResult().IsSuccessful);
        Assert.False(Types.InAssembly(Web).ShouldNot().HaveDependencyOn("AutoMLStudio.Core").GetResult().IsSuccessful);
        // A rule by one type's full name finds the wiring that names it.
        var dbUsers = Types.InAssembly(Web).ShouldNot().HaveDependencyOn(typeof(StudioDbContext).FullName!).GetResult().FailingTypeNames ?? [];
        Assert.Contains(dbUsers, n => n.StartsWith(Wiring, StringComparison.Ordinal));
    }

    private static string Failing(string what, TestResult result) =>
        $"{what}: {string.Join(", ", result.FailingTypeNames ?? [])}";
}
