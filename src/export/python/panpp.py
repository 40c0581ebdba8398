"""PAN++ text detector (Wang et al., "PAN++: Towards Efficient and Accurate End-to-End Spotting of
Arbitrarily-Shaped Text", TPAMI 2021), written from the paper's description: ResNet-18 backbone,
two FPEM_v2 necks, feature fusion (FFM) and a detection head giving text region, kernel and 4-d
instance embeddings. Post-processing (pixel aggregation) lives outside the graph, in TypeScript
(src/postprocess/pan.ts).

No pretrained weights can be downloaded here, so `build_panpp` loads a checkpoint when given one
and otherwise initializes deterministically from a seed (BatchNorm statistics are calibrated on
seeded noise so activations stay O(1) and parity errors are meaningful).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(cin, cout, k=1, stride=1, groups=1, relu=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


def up2(x):
    # A constant scale factor (never `size=other.shape[2:]`) exports as Resize with constant
    # scales: no Shape/Gather/Concat chain, so engines build with dynamic H/W. Inputs are
    # multiples of 32, so 2x always lands exactly on the finer level's size.
    return F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False, recompute_scale_factor=False)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = conv_bn_relu(cin, cout, 3, stride)
        self.conv2 = conv_bn_relu(cout, cout, 3, 1, relu=False)
        self.down = conv_bn_relu(cin, cout, 1, stride, relu=False) if stride != 1 or cin != cout else None

    def forward(self, x):
        identity = x if self.down is None else self.down(x)
        return F.relu(self.conv2(self.conv1(x)) + identity)


class ResNet18(nn.Module):
    """ResNet-18 (He et al. 2016): stem + four stages of two basic blocks; returns C2..C5."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(conv_bn_relu(3, 64, 7, 2), nn.MaxPool2d(3, 2, 1))
        widths = [64, 128, 256, 512]
        stages, cin = [], 64
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            stages.append(nn.Sequential(BasicBlock(cin, w, stride), BasicBlock(w, w, 1)))
            cin = w
        self.stages = nn.ModuleList(stages)

    def forward(self, x):
        x = self.stem(x)
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        return feats


class FPEMv2(nn.Module):
    """Feature pyramid enhancement: up-scale then down-scale pass of separable convs, plus a residual."""

    def __init__(self, c=128):
        super().__init__()
        dw = lambda stride: nn.Conv2d(c, c, 3, stride, 1, groups=c, bias=False)
        self.up_dw = nn.ModuleList([dw(1) for _ in range(3)])
        self.up_pw = nn.ModuleList([conv_bn_relu(c, c) for _ in range(3)])
        self.down_dw = nn.ModuleList([dw(2) for _ in range(3)])
        self.down_pw = nn.ModuleList([conv_bn_relu(c, c) for _ in range(3)])

    def forward(self, f1, f2, f3, f4):
        # up-scale enhancement: 32 -> 4 stride
        u3 = self.up_pw[0](self.up_dw[0](up2(f4) + f3))
        u2 = self.up_pw[1](self.up_dw[1](up2(u3) + f2))
        u1 = self.up_pw[2](self.up_dw[2](up2(u2) + f1))
        # down-scale enhancement: 4 -> 32 stride (stride-2 depthwise conv after the add)
        d2 = self.down_pw[0](self.down_dw[0](up2(u2) + u1))
        d3 = self.down_pw[1](self.down_dw[1](up2(u3) + d2))
        d4 = self.down_pw[2](self.down_dw[2](up2(f4) + d3))
        return f1 + u1, f2 + d2, f3 + d3, f4 + d4


class PANpp(nn.Module):
    def __init__(self, neck_channels=128, emb_dim=4):
        super().__init__()
        self.backbone = ResNet18()
        self.reduce = nn.ModuleList([conv_bn_relu(c, neck_channels) for c in (64, 128, 256, 512)])
        self.fpem1 = FPEMv2(neck_channels)
        self.fpem2 = FPEMv2(neck_channels)
        self.head = nn.Sequential(conv_bn_relu(4 * neck_channels, neck_channels, 3),
                                  nn.Conv2d(neck_channels, 2 + emb_dim, 1))

    def forward(self, x):
        f = [r(c) for r, c in zip(self.reduce, self.backbone(x))]
        f = self.fpem1(*f)
        f1, f2, f3, f4 = self.fpem2(*f)
        # FFM: bring every level to stride 4 and concatenate
        f2 = up2(f2)
        f3 = up2(up2(f3))
        f4 = up2(up2(up2(f4)))
        return self.head(torch.cat([f1, f2, f3, f4], 1))


class PANppExport(nn.Module):
    """Tensor-only wrapper: one NCHW float input, three named outputs at input resolution.

    text  [N,1,H,W] text-region probability, kernel [N,1,H,W] kernel probability,
    embedding [N,4,H,W] instance embedding. Configuration is baked in; nothing but tensors in or out.
    """

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        out = F.interpolate(self.net(x), scale_factor=4.0, mode="bilinear", align_corners=False,
                            recompute_scale_factor=False)
        return torch.sigmoid(out[:, 0:1]), torch.sigmoid(out[:, 1:2]), out[:, 2:]


def load_checkpoint(net, path):
    state = torch.load(path, map_location="cpu")
    if isinstance(state, dict) and "state_dict" in state:
        state = state["state_dict"]
    state = {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}
    missing, unexpected = net.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"checkpoint {path} does not match this PAN++ definition: "
                         f"missing {missing[:5]}..., unexpected {unexpected[:5]}...")


def build_panpp(seed=0, checkpoint=None):
    """Returns (wrapper in eval mode, example input). Deterministic for a given seed."""
    torch.manual_seed(seed)
    net = PANpp()
    if checkpoint:
        load_checkpoint(net, checkpoint)
    else:
        # Calibrate BatchNorm running statistics on seeded noise (cumulative average).
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.momentum = None
        net.train()
        with torch.no_grad():
            gen = torch.Generator().manual_seed(seed + 1)
            net(torch.randn(2, 3, 128, 128, generator=gen))
    model = PANppExport(net).eval()
    return model, torch.zeros(1, 3, 224, 224)


def panpp():
    """Entry point in the same `module:function` form users give for their own models."""
    model, example = build_panpp()
    return model, example, {"input_names": ["input"], "output_names": ["text", "kernel", "embedding"]}
