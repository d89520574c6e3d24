using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Tests.Tabular;
using AutoMLStudio.Engine.Tests.Text;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Learners;

public sealed class LearnerTests
{
    [Fact]
    public void Each_learner_serves_its_own_data_and_reads_back_every_candidate_it_proposes()
    {
        var table = TabularTestData.ColorTable(60, seed: 1);
        var plan = TabularPreprocessingPlan.Fit(TabularTestData.ColorColumns, table);
        var tokenizer = TextTokenizer.Fit(TextTestData.Reviews(60, seed: 2).Texts, maxVocabulary: 1000);
        DataProfile[] profiles =
        [
            new(PredictionTask.Classification, ClassCount: 3, MaxEpochs: 4, Plan: plan),
            new(PredictionTask.Classification, ClassCount: 2, MaxEpochs: 4, Tokenizer: tokenizer),
        ];

        Assert.Equal(["mlp", "text"], profiles.Select(p => LearnerCatalog.For(p).Name));
        foreach (var profile in profiles)
        {
            var learner = LearnerCatalog.For(profile);
            var space = learner.Space(profile);
            var strategy = SpaceStrategies.Create("random", space, seed: 7, budget: 20);
            for (var number = 1; number <= 20; number++)
            {
                var candidate = learner.Decode(strategy.Ask(number), profile);
                Assert.True(candidate.Parameters > 0 && candidate.Flops > 0, $"{learner.Name} candidate {number} costs nothing");
                var point = learner.Encode(candidate.ConfigJson);
                Assert.True(space.Contains(point), $"{learner.Name} candidate {number} falls outside its space");
                Assert.Equal(candidate.ConfigJson, learner.Decode(point, profile).ConfigJson);
            }
        }
    }

    [Fact]
    public void A_profile_no_learner_serves_is_refused_in_words()
    {
        var error = Assert.Throws<ArgumentException>(() => LearnerCatalog.For(new DataProfile(PredictionTask.Classification, 2, 4)));

        Assert.Contains("No learner", error.Message);
    }
}
