using System.Text;

namespace AcpHost.PostMortem;

/// <summary>
/// One chart as inline SVG: a fixed-size plot area, a linear x and a zero-based y scale, grid lines with labels, and
/// the marks the chart adds. Every text written through it is escaped.
/// </summary>
internal sealed class SvgPlot
{
    public const double Width = 1100;
    public const double Height = 320;
    private const double Left = 72;
    private const double Right = 24;
    private const double Top = 34;
    private const double Bottom = 40;

    private readonly StringBuilder _svg = new();
    private readonly double _xMin;
    private readonly double _xSpan;
    private readonly double _yTop;

    /// <param name="chart">A name for the chart, in its <c>data-chart</c> attribute.</param>
    /// <param name="title">The accessible title.</param>
    /// <param name="xMin">The smallest x value.</param>
    /// <param name="xMax">The largest x value.</param>
    /// <param name="yTop">The value at the top of the y axis.</param>
    public SvgPlot(string chart, string title, double xMin, double xMax, double yTop)
    {
        _xMin = xMin;
        _xSpan = xMax > xMin ? xMax - xMin : 1;
        _yTop = yTop > 0 ? yTop : 1;
        _svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" data-chart=\"{HtmlText.Escape(chart)}\">")
            .Append($"<title>{HtmlText.Escape(title)}</title>");
    }

    public const double PlotWidth = Width - Left - Right;

    public double X(double value) => Left + ((value - _xMin) / _xSpan * PlotWidth);

    public double Y(double value) => Height - Bottom - (Math.Clamp(value, 0, _yTop) / _yTop * (Height - Top - Bottom));

    /// <summary>Grid lines and labels for both axes, and the y axis' caption.</summary>
    public void Axes(IEnumerable<(double Value, string Label)> xTicks, double yStep, Func<double, string> yLabel, string yCaption)
    {
        _svg.Append("<g class=\"axes\" font-size=\"12\" fill=\"#555\">");
        for (double value = 0; value <= _yTop + (yStep / 1000); value += yStep)
        {
            string y = HtmlText.Px(Y(value));
            _svg.Append($"<line x1=\"{Left}\" x2=\"{HtmlText.Px(Width - Right)}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e3e3e3\"/>")
                .Append($"<text x=\"{Left - 6}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{HtmlText.Escape(yLabel(value))}</text>");
        }

        foreach ((double value, string label) in xTicks)
        {
            string x = HtmlText.Px(X(value));
            _svg.Append($"<line x1=\"{x}\" x2=\"{x}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#f0f0f0\"/>")
                .Append($"<text x=\"{x}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{HtmlText.Escape(label)}</text>");
        }

        _svg.Append($"<line x1=\"{Left}\" x2=\"{HtmlText.Px(Width - Right)}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>")
            .Append($"<text x=\"{Left}\" y=\"{Top - 14}\" text-anchor=\"start\" font-weight=\"bold\">{HtmlText.Escape(yCaption)}</text></g>");
    }

    /// <summary>Legend entries in the top right: a swatch of each colour and its label.</summary>
    public void Legend(IEnumerable<(string Color, string Label)> entries)
    {
        double x = Width - Right;
        var items = entries.ToList();
        _svg.Append("<g class=\"legend\" font-size=\"12\" fill=\"#333\">");
        for (int i = items.Count - 1; i >= 0; i--)
        {
            (string color, string label) = items[i];
            x -= 20 + (label.Length * 7.2);
            _svg.Append($"<rect x=\"{HtmlText.Px(x)}\" y=\"{Top - 24}\" width=\"10\" height=\"10\" fill=\"{color}\"/>")
                .Append($"<text x=\"{HtmlText.Px(x + 14)}\" y=\"{Top - 15}\">{HtmlText.Escape(label)}</text>");
        }

        _svg.Append("</g>");
    }

    /// <summary>One part of a stacked bar centred on <paramref name="x"/>, from one value to another, with its tooltip.</summary>
    public void Bar(double x, double width, double from, double to, string kind, string color, string title)
    {
        if (to <= from)
        {
            return;
        }

        double top = Y(to);
        _svg.Append($"<rect class=\"{HtmlText.Escape(kind)}\" x=\"{HtmlText.Px(X(x) - (width / 2))}\" y=\"{HtmlText.Px(top)}\" width=\"{HtmlText.Px(width)}\" height=\"{HtmlText.Px(Y(from) - top)}\" fill=\"{color}\">")
            .Append($"<title>{HtmlText.Escape(title)}</title></rect>");
    }

    /// <summary>Adds markup built by the chart; it must escape its own text (see <see cref="HtmlText.Escape"/>).</summary>
    public SvgPlot Add(string markup)
    {
        _svg.Append(markup);
        return this;
    }

    public string Close() => _svg.Append("</svg>").ToString();

    /// <summary>An empty chart that says why it is empty.</summary>
    public static string Empty(string chart, string message) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} 60\" width=\"{Width}\" height=\"60\" role=\"img\" data-chart=\"{HtmlText.Escape(chart)}\">" +
        $"<title>{HtmlText.Escape(message)}</title><text x=\"{Left}\" y=\"34\" font-size=\"14\" fill=\"#777\">{HtmlText.Escape(message)}</text></svg>";
}
