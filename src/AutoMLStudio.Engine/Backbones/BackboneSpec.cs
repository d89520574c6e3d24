namespace AutoMLStudio.Engine.Backbones;

/// <summary>
/// A pretrained architecture with a new head, fitted to a dataset's images. The module takes pixels in [0, 1] as
/// <c>[N, InputChannels, InputSize, InputSize]</c> and adapts them itself (see <see cref="BackboneClassifier"/>).
/// </summary>
/// <param name="Architecture">One of <see cref="BackboneArchitectures.All"/>.</param>
/// <param name="InputChannels">Channels of the dataset's images: 1 (gray), 3 (RGB) or any other count.</param>
/// <param name="InputSize">Side of the dataset's square images.</param>
/// <param name="ClassCount">Classes of the new head (at least 2).</param>
/// <param name="MinimumSize">Images smaller than this are upsampled to it inside the model; see <see cref="WorkingSize"/>.</param>
public sealed record BackboneSpec(string Architecture, int InputChannels, int InputSize, int ClassCount, int MinimumSize = BackboneSpec.DefaultMinimumSize)
{
    /// <summary>
    /// Both networks divide the side by 32; a 28-pixel image would leave layer4 a single pixel, and the pretrained
    /// filters, learned on 224-pixel photos, would see shapes a few pixels wide. 64 gives the last stage a 2x2 map and
    /// shapes closer to the scale the filters know, for about 5 times the work of 28 pixels (still a fraction of 224's).
    /// </summary>
    public const int DefaultMinimumSize = 64;

    /// <summary>The side the network itself sees: the input size, or <see cref="MinimumSize"/> when the input is smaller.</summary>
    public int WorkingSize => Math.Max(InputSize, MinimumSize);

    internal void Validate()
    {
        BackboneArchitectures.Validate(Architecture);
        if (InputChannels < 1 || InputSize < 1 || ClassCount < 2 || MinimumSize < 1)
            throw new ArgumentException("A backbone needs at least 1 input channel, sizes of 1 or more and 2 classes.");
    }
}
