namespace AutoMLStudio.Engine.Backbones;

/// <summary>
/// Analytic costs of a <see cref="BackboneSpec"/>, counted over the same stage tables the modules are built from, so
/// a search can weigh a backbone against its size and speed limits without building it.
/// </summary>
public static class BackboneCost
{
    /// <summary>
    /// Parameters of the module <see cref="BackboneFactory.Build"/> returns, all of them, trainable or frozen (batch-norm
    /// statistics are buffers, not parameters): ResNet-18 11,176,512 + 513 per class, MobileNetV2 2,223,872 + 1,281 per class.
    /// </summary>
    public static long CountParameters(BackboneSpec spec) => Count(spec).Parameters;

    /// <summary>
    /// Multiply-accumulates (MACs) of one image through the convolutions and the head at
    /// <see cref="BackboneSpec.WorkingSize"/>, with the convention of <see cref="Spaces.CnnSearchSpace.CountFlops"/>:
    /// conv <c>out * (in / groups) * k * k * H' * W'</c>, linear <c>in * out</c>, one MAC counted as one FLOP; resizing,
    /// normalisation, batch norm, activations, pooling and additions are not counted. ResNet-18 at 224 pixels with
    /// 1000 classes: 1,814,073,344.
    /// </summary>
    public static long CountFlops(BackboneSpec spec) => Count(spec).Macs;

    /// <summary>
    /// Values one image's convolutions output at <see cref="BackboneSpec.WorkingSize"/> (each before its batch norm),
    /// for memory estimates: training keeps them, and the batch-norm and activation outputs beside them, for the
    /// backward pass.
    /// </summary>
    public static long CountConvolutionOutputs(BackboneSpec spec) => Count(spec).Outputs;

    private static Tally Count(BackboneSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var tally = new Tally(spec.WorkingSize);
        if (spec.Architecture == BackboneArchitectures.ResNet18) ResNet18Costs(tally, spec.ClassCount);
        else MobileNetV2Costs(tally, spec.ClassCount);
        return tally;
    }

    private static void ResNet18Costs(Tally tally, int classes)
    {
        tally.ConvBn(3, ResNet18.StemWidth, 7, 2);
        tally.Pool(3, 2);
        var inputs = ResNet18.StemWidth;
        foreach (var (width, stride) in ResNet18.Stages)
        {
            for (var block = 0; block < ResNet18.BlocksPerStage; block++)
            {
                var blockStride = block == 0 ? stride : 1;
                if (blockStride != 1 || inputs != width) tally.ConvBn(inputs, width, 1, blockStride, keepSize: true);
                tally.ConvBn(inputs, width, 3, blockStride);
                tally.ConvBn(width, width, 3, 1);
                inputs = width;
            }
        }
        tally.Linear(inputs, classes);
    }

    private static void MobileNetV2Costs(Tally tally, int classes)
    {
        tally.ConvBn(3, MobileNetV2.StemWidth, 3, 2);
        var inputs = MobileNetV2.StemWidth;
        foreach (var (expansion, channels, repeats, stride) in MobileNetV2.Settings)
        {
            for (var i = 0; i < repeats; i++)
            {
                var hidden = inputs * expansion;
                if (expansion != 1) tally.ConvBn(inputs, hidden, 1, 1);
                tally.ConvBn(hidden, hidden, 3, i == 0 ? stride : 1, groups: hidden);
                tally.ConvBn(hidden, channels, 1, 1);
                inputs = channels;
            }
        }
        tally.ConvBn(inputs, MobileNetV2.LastWidth, 1, 1);
        tally.Linear(MobileNetV2.LastWidth, classes);
    }

    /// <summary>Parameters and MACs so far, and the side of the current feature map.</summary>
    private sealed class Tally(int size)
    {
        public long Parameters { get; private set; }
        public long Macs { get; private set; }
        public long Outputs { get; private set; }

        /// <summary>
        /// A bias-free conv with padding (k - 1) / 2 and its batch norm. <paramref name="keepSize"/>: a shortcut conv,
        /// which reads the block's input beside the main path and so leaves the current side to that path.
        /// </summary>
        public void ConvBn(long inputs, long outputs, int kernel, int stride, long groups = 1, bool keepSize = false)
        {
            var side = Output(size, kernel, stride, (kernel - 1) / 2);
            var weights = outputs * (inputs / groups) * kernel * kernel;
            Parameters += weights + 2 * outputs;
            Macs += weights * side * side;
            Outputs += outputs * side * side;
            if (!keepSize) size = side;
        }

        public void Pool(int kernel, int stride) => size = Output(size, kernel, stride, (kernel - 1) / 2);

        public void Linear(long inputs, long outputs)
        {
            Parameters += inputs * outputs + outputs;
            Macs += inputs * outputs;
        }

        private static int Output(int side, int kernel, int stride, int padding) => (side + 2 * padding - kernel) / stride + 1;
    }
}
