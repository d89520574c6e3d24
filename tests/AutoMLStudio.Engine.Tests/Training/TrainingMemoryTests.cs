using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests;

public sealed class TrainingMemoryTests
{
    [Fact]
    public void A_small_cnn_needs_its_weights_four_times_its_kept_activations_and_the_workspace()
    {
        // SmallCnn at 16x16, one channel: conv 8@3x3 (with batch norm, no bias) -> pool -> conv 16@3x3 (+bias) -> pool ->
        // dense 32 -> the test data's classes.
        var architecture = TestData.SmallCnn(size: 16);
        const long parameters = 8 * 9 + 2 * 8 + (16 * 8 * 9 + 16) + (16 * 4 * 4 * 32 + 32) + (32 * TestData.Classes + TestData.Classes);
        Assert.Equal(parameters, CnnSearchSpace.CountParameters(architecture));
        const long outputs = 8 * 16 * 16 + 16 * 8 * 8 + 32 + TestData.Classes; // the two convolutions' maps, the dense layer, the logits
        const long input = 16 * 16;
        const long expected = 4 * (parameters * 4 + 32 * (input + outputs * 3)) + TrainingMemory.WorkspaceBytes;

        Assert.Equal(expected, TrainingMemory.EstimateBytes(architecture, batchSize: 32));
    }

    [Fact]
    public void Memory_grows_with_the_batch_and_a_row_model_needs_its_parameters_and_the_workspace()
    {
        var architecture = TestData.SmallCnn(size: 16);
        Assert.True(TrainingMemory.EstimateBytes(architecture, 256) > TrainingMemory.EstimateBytes(architecture, 32));
        Assert.Equal(4 * 1000 * 4 + TrainingMemory.WorkspaceBytes, TrainingMemory.EstimateBytes(parameters: 1000));
    }
}
