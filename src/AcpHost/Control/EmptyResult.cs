namespace AcpHost.Control;

/// <summary>The <c>{}</c> result of <c>events/subscribe</c>.</summary>
internal sealed record EmptyResult
{
    /// <summary>The one instance.</summary>
    public static readonly EmptyResult Instance = new();
}
