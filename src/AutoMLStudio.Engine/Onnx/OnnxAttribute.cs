namespace AutoMLStudio.Engine.Onnx;

/// <summary>A node attribute (ONNX <c>AttributeProto</c>) of one of the four kinds the exported graphs use.</summary>
internal abstract record OnnxAttribute(string Name)
{
    // AttributeProto fields and AttributeType values of onnx.proto.
    private const int NameField = 1, FloatField = 2, IntField = 3, StringField = 4, IntsField = 8, TypeField = 20;
    private const int FloatType = 1, IntType = 2, StringType = 3, IntsType = 7;

    public static OnnxAttribute Int(string name, long value) => new IntAttribute(name, value);

    public static OnnxAttribute Ints(string name, params long[] values) => new IntsAttribute(name, values);

    public static OnnxAttribute Float(string name, float value) => new FloatAttribute(name, value);

    public static OnnxAttribute String(string name, string value) => new StringAttribute(name, value);

    public abstract void Write(ProtoWriter attribute);

    private sealed record IntAttribute(string Name, long Value) : OnnxAttribute(Name)
    {
        public override void Write(ProtoWriter attribute) =>
            attribute.String(NameField, Name).Int(IntField, Value).Int(TypeField, IntType);
    }

    private sealed record IntsAttribute(string Name, long[] Values) : OnnxAttribute(Name)
    {
        // onnx.proto is proto2, where repeated scalars are not packed: one tag per value.
        public override void Write(ProtoWriter attribute)
        {
            attribute.String(NameField, Name);
            foreach (var value in Values) attribute.Int(IntsField, value);
            attribute.Int(TypeField, IntsType);
        }
    }

    private sealed record FloatAttribute(string Name, float Value) : OnnxAttribute(Name)
    {
        public override void Write(ProtoWriter attribute) =>
            attribute.String(NameField, Name).Float(FloatField, Value).Int(TypeField, FloatType);
    }

    private sealed record StringAttribute(string Name, string Value) : OnnxAttribute(Name)
    {
        public override void Write(ProtoWriter attribute) =>
            attribute.String(NameField, Name).String(StringField, Value).Int(TypeField, StringType);
    }
}
