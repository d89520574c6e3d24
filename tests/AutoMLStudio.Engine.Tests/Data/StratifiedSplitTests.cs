using AutoMLStudio.Engine.Data;

namespace AutoMLStudio.Engine.Tests.Data;

public sealed class StratifiedSplitTests
{
    private static int[] Labels(params int[] countsPerClass) =>
        countsPerClass.SelectMany((count, label) => Enumerable.Repeat(label, count)).ToArray();

    [Fact]
    public void Same_seed_gives_the_same_assignment_and_another_seed_a_different_one()
    {
        var labels = Labels(100, 60, 40);

        var first = StratifiedSplit.Assign(labels, seed: 7);
        var again = StratifiedSplit.Assign(labels, seed: 7);
        var other = StratifiedSplit.Assign(labels, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Each_class_keeps_its_share_in_every_split()
    {
        var labels = Labels(100, 60, 40);

        var splits = StratifiedSplit.Assign(labels, seed: 1, validationFraction: 0.2, testFraction: 0.1);

        foreach (var (label, count) in new[] { (0, 100), (1, 60), (2, 40) })
        {
            var mine = splits.Where((_, i) => labels[i] == label).ToArray();
            Assert.Equal((int)Math.Round(count * 0.2), mine.Count(s => s == StratifiedSplit.Validation));
            Assert.Equal((int)Math.Round(count * 0.1), mine.Count(s => s == StratifiedSplit.Test));
            Assert.Equal(count - (int)Math.Round(count * 0.2) - (int)Math.Round(count * 0.1), mine.Count(s => s == StratifiedSplit.Train));
        }
    }

    [Fact]
    public void Classes_with_three_items_get_one_in_each_split_and_smaller_classes_go_to_train()
    {
        var labels = Labels(3, 2, 1);

        var splits = StratifiedSplit.Assign(labels, seed: 3);

        Assert.Equal([0, 1, 2], splits.Take(3).Order());
        Assert.All(splits.Skip(3), s => Assert.Equal(StratifiedSplit.Train, s));
    }
}
